/**
 * The CEL rules of the CRDs (api/v1alpha1/cel.ts) restate rules validate() enforces: for each, a spec the
 * rule refuses is refused by validate() with the same ECS exception and message, and a spec it accepts
 * passes that rule in validate() too. (The kube-apiserver evaluates the CEL: test/e2e/k8s-native.spec.ts.)
 */
import { expect } from 'chai';
import { CEL_RULES } from '../../../api/v1alpha1/cel.js';
import { validationErrors } from '../../../api/validate.js';

const base: Record<string, Record<string, unknown>> = {
  Service: { cluster: 'demo', taskDefinition: 'web', desiredCount: 1 },
  Task: { cluster: 'demo', taskDefinition: 'web' },
  ScalableTarget: { ServiceNamespace: 'ecs', ResourceId: 'service/demo/web', ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 1, MaxCapacity: 4 },
  ScheduledAction: {
    ServiceNamespace: 'ecs',
    ResourceId: 'service/demo/web',
    ScalableDimension: 'ecs:service:DesiredCount',
    Schedule: 'rate(1 hour)',
    ScalableTargetAction: { MinCapacity: 1, MaxCapacity: 4 },
  },
};

/** [kind, spec additions, the message (after the exception) CEL and validate() give, the CEL rule's fieldPath]. */
const refused: Array<[string, Record<string, unknown>, string, string]> = [
  ['Service', { launchType: 'FARGATE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] }, 'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.', '.launchType'],
  ['Task', { launchType: 'EC2', capacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }] }, 'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.', '.launchType'],
  ['Service', { deploymentConfiguration: { maximumPercent: 50 } }, 'maximumPercent must be at least 100.', '.deploymentConfiguration.maximumPercent'],
  ['Service', { schedulingStrategy: 'DAEMON', desiredCount: undefined, deploymentConfiguration: { maximumPercent: 200 } }, 'maximumPercent must be 100 for services using the DAEMON scheduling strategy.', '.deploymentConfiguration.maximumPercent'],
  ['ScalableTarget', { MinCapacity: 5, MaxCapacity: 2 }, 'Minimum capacity cannot be greater than maximum capacity', '.MinCapacity'],
  ['ScheduledAction', { ScalableTargetAction: { MinCapacity: 5, MaxCapacity: 2 } }, 'Minimum capacity cannot be greater than maximum capacity', '.ScalableTargetAction.MinCapacity'],
];

function messages(kind: string, spec: Record<string, unknown>): string[] {
  const clean = JSON.parse(JSON.stringify(spec));
  return validationErrors({ apiVersion: 'ecsplane.io/v1alpha1', kind, metadata: { name: 'x' }, spec: clean }).map((e) => `${e.type}: ${e.bareMessage}`);
}

describe('CRD CEL rules (x-kubernetes-validations) agree with validate()', () => {
  for (const [kind, extra, message, fieldPath] of refused) {
    it(`${kind}: ${message}`, () => {
      const rules = CEL_RULES[kind].filter((r) => r.fieldPath === fieldPath);
      const rule = rules.find((r) => r.message.endsWith(message));
      expect(rule, 'a CEL rule on this field').to.not.equal(undefined);
      const errs = messages(kind, { ...base[kind], ...extra });
      expect(errs.some((e) => e.endsWith(message))).to.equal(true, errs.join('; '));
      // The exception CEL names is validate()'s.
      const type = errs.find((e) => e.endsWith(message))!.split(':')[0];
      expect(rule!.message).to.equal(`${type}: ${message}`);
    });
  }

  it('the base specs pass every rule', () => {
    for (const kind of Object.keys(base)) {
      const errs = messages(kind, base[kind]);
      for (const [k, , m] of refused) if (k === kind) expect(errs.some((e) => e.endsWith(m)), `${kind}: ${errs.join('; ')}`).to.equal(false);
    }
  });

  it('every CEL rule is covered here', () => {
    for (const [kind, rules] of Object.entries(CEL_RULES)) {
      for (const r of rules) expect(refused.some(([k, , , f]) => k === kind && f === r.fieldPath), `${kind} ${r.fieldPath}`).to.equal(true);
    }
    expect(refused.length).to.equal(Object.values(CEL_RULES).flat().length);
  });
});
