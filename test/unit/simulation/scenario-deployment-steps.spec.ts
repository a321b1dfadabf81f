/**
 * Table tests: the Scenario steps for deployments (controllers/simulation/scenario.ts) — `alarm`,
 * `protection`, `hook` — parse, and bad input names the step and field before anything runs.
 */
import { expect } from 'chai';
import { parseScenario } from '../../../controllers/simulation/scenario.js';
import type { Resource } from '../../../api/meta.js';

const scenario = (step: Record<string, unknown>): Resource => ({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Scenario', metadata: { name: 's' }, spec: { steps: [{ at: '1m', ...step }] } });
const HOOK = 'arn:aws:lambda:us-east-1:123456789012:function:check';

describe('Scenario steps for deployments', () => {
  const good: Array<{ name: string; step: Record<string, unknown>; expected: Record<string, unknown> }> = [
    { name: 'alarm', step: { alarm: { name: 'p99', state: 'ALARM' } }, expected: { alarm: { name: 'p99', state: 'ALARM' } } },
    { name: 'hook', step: { hook: { hookTargetArn: HOOK, status: 'FAILED' } }, expected: { hook: { hookTargetArn: HOOK, status: 'FAILED' } } },
    {
      name: 'protection',
      step: { protection: { service: 'web', count: 2, protectionEnabled: true, expiresInMinutes: 2880 } },
      expected: { protection: { service: 'web', count: 2, protectionEnabled: true, expiresInMinutes: 2880 } },
    },
  ];
  for (const r of good) {
    it(`parses ${r.name}`, () => expect(parseScenario(scenario(r.step)).steps[0]).to.deep.include({ atMs: 60_000, ...r.expected }));
  }

  const bad: Array<{ name: string; step: Record<string, unknown>; error: RegExp }> = [
    { name: 'alarm without a name', step: { alarm: { state: 'ALARM' } }, error: /spec\.steps\[0\]\.alarm\.name is required/ },
    { name: 'alarm in an unknown state', step: { alarm: { name: 'p99', state: 'RED' } }, error: /alarm\.state must be one of OK, ALARM, INSUFFICIENT_DATA/ },
    { name: 'hook without an ARN', step: { hook: { status: 'FAILED' } }, error: /hook\.hookTargetArn is required/ },
    { name: 'hook with a bad status', step: { hook: { hookTargetArn: HOOK, status: 'DONE' } }, error: /hook\.status must be one of SUCCEEDED, FAILED, IN_PROGRESS/ },
    { name: 'protection without a service', step: { protection: { protectionEnabled: true } }, error: /protection\.service is required/ },
    { name: 'protection without protectionEnabled', step: { protection: { service: 'web' } }, error: /protection\.protectionEnabled must be true or false/ },
    { name: 'protection beyond 48 hours', step: { protection: { service: 'web', protectionEnabled: true, expiresInMinutes: 2881 } }, error: /expiresInMinutes must be an integer 1-2880/ },
    { name: 'protection count 0', step: { protection: { service: 'web', protectionEnabled: true, count: 0 } }, error: /protection\.count must be an integer/ },
  ];
  for (const r of bad) {
    it(`refuses ${r.name}`, () => expect(() => parseScenario(scenario(r.step))).to.throw(r.error));
  }
});
