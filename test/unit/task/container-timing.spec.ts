/**
 * Table tests: container start order (dependsOn conditions, startTimeout) and stop time
 * (stopTimeout caps the SIGTERM → exit time; killed containers exit 137), controllers/task/container-timing.ts.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html
 */
import { expect } from 'chai';
import { containerStopTimes, planContainerStarts, taskStopMs } from '../../../controllers/task/container-timing.js';
import { constantHealth } from '../../../api/sim-timeline.js';
import type { ContainerDefinition, TaskDefinitionSpec } from '../../../api/v1alpha1/types.js';

const c = (name: string, over: Partial<ContainerDefinition> = {}): ContainerDefinition => ({ name, image: 'x', memory: 128, ...over }) as ContainerDefinition;
const td = (...containerDefinitions: ContainerDefinition[]): TaskDefinitionSpec => ({ family: 'f', containerDefinitions }) as TaskDefinitionSpec;
const hc = (interval: number) => ({ command: ['CMD-SHELL', 'true'], interval });

describe('planContainerStarts: dependsOn orders container starts', () => {
  const rows: Array<{ name: string; td: TaskDefinitionSpec; health?: 'healthy' | 'unhealthy'; starts?: Record<string, number>; all?: number; exited?: string[]; failedAt?: number }> = [
    { name: 'no dependencies: all at once', td: td(c('a'), c('b')), starts: { a: 0, b: 0 }, all: 0, exited: [] },
    { name: 'START: right after the dependency starts', td: td(c('a', { dependsOn: [{ containerName: 'b', condition: 'START' }] }), c('b')), starts: { a: 0, b: 0 }, all: 0 },
    { name: 'HEALTHY: after the dependency passes its first check', td: td(c('app', { dependsOn: [{ containerName: 'proxy', condition: 'HEALTHY' }] }), c('proxy', { healthCheck: hc(10) })), starts: { app: 10_000, proxy: 0 }, all: 10_000 },
    {
      name: 'chains add up: db HEALTHY (5 s) → api HEALTHY (10 s) → web',
      td: td(c('web', { dependsOn: [{ containerName: 'api', condition: 'HEALTHY' }] }), c('api', { healthCheck: hc(10), dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }), c('db', { healthCheck: hc(5) })),
      starts: { web: 15_000, api: 5_000, db: 0 },
      all: 15_000,
    },
    { name: 'SUCCESS: an init container runs to completion first', td: td(c('app', { dependsOn: [{ containerName: 'migrate', condition: 'SUCCESS' }] }), c('migrate', { essential: false })), starts: { app: 0, migrate: 0 }, exited: ['migrate'] },
    {
      name: 'HEALTHY never reached: the dependent gives up after the dependency startTimeout',
      td: td(c('app', { dependsOn: [{ containerName: 'proxy', condition: 'HEALTHY' }] }), c('proxy', { healthCheck: hc(10), startTimeout: 60 })),
      health: 'unhealthy',
      failedAt: 60_000,
    },
    {
      name: 'default startTimeout 3 minutes',
      td: td(c('app', { dependsOn: [{ containerName: 'proxy', condition: 'HEALTHY' }] }), c('proxy', { healthCheck: hc(10) })),
      health: 'unhealthy',
      failedAt: 180_000,
    },
    {
      name: 'a health check slower than the startTimeout also fails',
      td: td(c('app', { dependsOn: [{ containerName: 'proxy', condition: 'HEALTHY' }] }), c('proxy', { healthCheck: hc(90), startTimeout: 60 })),
      failedAt: 60_000,
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const p = planContainerStarts(r.td, 0, () => constantHealth(r.health ?? 'healthy'));
      if (r.failedAt !== undefined) {
        expect(p.ok).to.equal(false);
        if (!p.ok) expect(p.failedAt).to.equal(r.failedAt);
        return;
      }
      expect(p.ok).to.equal(true);
      if (!p.ok) return;
      if (r.starts) expect(Object.fromEntries(p.startAt)).to.deep.equal(r.starts);
      if (r.all !== undefined) expect(p.allStartedAt).to.equal(r.all);
      if (r.exited) expect([...p.exited]).to.deep.equal(r.exited);
    });
  }
});

describe('stop time: SIGTERM, then SIGKILL at stopTimeout', () => {
  const rows: Array<{ name: string; td: TaskDefinitionSpec; appExitMs: number; stopMs: number; killed: string[] }> = [
    { name: 'exits on SIGTERM in 1 s (default knob)', td: td(c('a')), appExitMs: 1000, stopMs: 1000, killed: [] },
    { name: 'takes 45 s, default stopTimeout 30 s: killed at 30 s', td: td(c('a')), appExitMs: 45_000, stopMs: 30_000, killed: ['a'] },
    { name: 'stopTimeout 120 s lets it exit at 45 s', td: td(c('a', { stopTimeout: 120 })), appExitMs: 45_000, stopMs: 45_000, killed: [] },
    { name: 'an init container (SUCCESS dependency) has already exited', td: td(c('app', { stopTimeout: 10, dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] }), c('init', { essential: false })), appExitMs: 45_000, stopMs: 10_000, killed: ['app'] },
    { name: 'the slowest container sets the task time', td: td(c('a', { stopTimeout: 5 }), c('b', { stopTimeout: 20 })), appExitMs: 45_000, stopMs: 20_000, killed: ['a', 'b'] },
  ];
  for (const r of rows) {
    it(r.name, () => {
      expect(taskStopMs(r.td, r.appExitMs)).to.equal(r.stopMs);
      expect([...containerStopTimes(r.td, r.appExitMs)].filter(([, t]) => t.killed).map(([n]) => n)).to.deep.equal(r.killed);
    });
  }
});
