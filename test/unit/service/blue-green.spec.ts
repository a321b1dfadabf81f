/**
 * Table tests: the BLUE_GREEN / LINEAR / CANARY lifecycle plan (controllers/service/blue-green.ts):
 * stages, traffic steps, bake times, hooks holding a stage or failing the deployment.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html
 */
import { expect } from 'chai';
import { nextWeight, planBlueGreen, type BlueGreenConfig, type BlueGreenInput, type BlueGreenState, type HookStatus } from '../../../controllers/service/blue-green.js';

const MIN = 60_000;
const HOOK = 'arn:aws:lambda:us-east-1:123456789012:function:check';
const input = (over: Partial<BlueGreenInput>): BlueGreenInput => ({
  config: { strategy: 'BLUE_GREEN' },
  desiredCount: 3,
  greenHealthy: 3,
  blueActive: 3,
  hookResult: () => 'SUCCEEDED',
  now: 0,
  ...over,
});
const at = (stage: BlueGreenState['stage'], over: Partial<BlueGreenState> = {}): BlueGreenState => ({ stage, stageStartedAt: 0, greenWeight: 0, testOnGreen: false, pending: {}, ...over });

describe('nextWeight: production traffic steps', () => {
  const rows: Array<[BlueGreenConfig, number, number]> = [
    [{ strategy: 'BLUE_GREEN' }, 0, 100],
    [{ strategy: 'CANARY' }, 0, 5],
    [{ strategy: 'CANARY' }, 5, 100],
    [{ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 20 } }, 0, 20],
    [{ strategy: 'LINEAR' }, 0, 10],
    [{ strategy: 'LINEAR', linearConfiguration: { stepPercent: 30 } }, 90, 100],
    [{ strategy: 'LINEAR', linearConfiguration: { stepPercent: 33.3 } }, 33.3, 66.6],
  ];
  for (const [config, w, next] of rows) it(`${config.strategy} ${JSON.stringify(config.linearConfiguration ?? config.canaryConfiguration ?? {})}: ${w} → ${next}`, () => expect(nextWeight(config, w)).to.equal(next));
});

describe('planBlueGreen: lifecycle stages', () => {
  const rows: Array<{ name: string; input: BlueGreenInput; stage: string; weight?: number; cleanUp?: boolean; wakeAt?: number; failed?: boolean; hooks?: string[] }> = [
    { name: 'a new deployment waits in SCALE_UP until green is healthy', input: input({ greenHealthy: 1 }), stage: 'SCALE_UP', weight: 0 },
    { name: 'BLUE_GREEN with green healthy and no bake time runs through to CLEAN_UP at once', input: input({}), stage: 'CLEAN_UP', weight: 100, cleanUp: true },
    { name: 'bake time holds BAKE_TIME with both revisions', input: input({ config: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 } }), stage: 'BAKE_TIME', weight: 100, wakeAt: 5 * MIN },
    { name: '... and ends it', input: input({ config: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 }, state: at('BAKE_TIME', { greenWeight: 100 }), now: 5 * MIN }), stage: 'CLEAN_UP', cleanUp: true },
    { name: 'CANARY: 5 % first, the rest after 10 minutes', input: input({ config: { strategy: 'CANARY' } }), stage: 'PRODUCTION_TRAFFIC_SHIFT', weight: 5, wakeAt: 10 * MIN },
    {
      name: 'CANARY after the canary bake time: 100 %',
      input: input({ config: { strategy: 'CANARY' }, state: at('PRODUCTION_TRAFFIC_SHIFT', { greenWeight: 5, stepAt: 0 }), now: 10 * MIN }),
      stage: 'CLEAN_UP',
      weight: 100,
    },
    { name: 'LINEAR 25 % every minute: the first step', input: input({ config: { strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 1 } } }), stage: 'PRODUCTION_TRAFFIC_SHIFT', weight: 25, wakeAt: MIN },
    {
      name: 'LINEAR: not yet time for the next step',
      input: input({ config: { strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 1 } }, state: at('PRODUCTION_TRAFFIC_SHIFT', { greenWeight: 25, stepAt: 0 }), now: 30_000 }),
      stage: 'PRODUCTION_TRAFFIC_SHIFT',
      weight: 25,
      wakeAt: MIN,
    },
    {
      name: 'a hook at POST_SCALE_UP is invoked and, answering SUCCEEDED, lets the deployment go on',
      input: input({ config: { strategy: 'BLUE_GREEN', lifecycleHooks: [{ hookTargetArn: HOOK, lifecycleStages: ['POST_SCALE_UP'] }] } }),
      stage: 'CLEAN_UP',
      hooks: ['POST_SCALE_UP'],
    },
    {
      name: 'a hook answering IN_PROGRESS holds its stage (asked again in 30 s)',
      input: input({ config: { strategy: 'BLUE_GREEN', lifecycleHooks: [{ hookTargetArn: HOOK, lifecycleStages: ['POST_SCALE_UP'] }] }, hookResult: (): HookStatus => 'IN_PROGRESS' }),
      stage: 'POST_SCALE_UP',
      weight: 0,
      wakeAt: 30_000,
      hooks: ['POST_SCALE_UP'],
    },
    {
      name: 'a hook answering FAILED fails the deployment',
      input: input({ config: { strategy: 'BLUE_GREEN', lifecycleHooks: [{ hookTargetArn: HOOK, lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }] }, hookResult: (): HookStatus => 'FAILED' }),
      stage: 'TEST_TRAFFIC_SHIFT',
      failed: true,
      hooks: ['TEST_TRAFFIC_SHIFT'],
    },
    {
      name: 'PRODUCTION_TRAFFIC_SHIFT hooks run at every LINEAR step',
      input: input({ config: { strategy: 'LINEAR', linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 0 }, lifecycleHooks: [{ hookTargetArn: HOOK, lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'] }] } }),
      stage: 'CLEAN_UP',
      hooks: ['PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'],
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const p = planBlueGreen(r.input);
      expect(p.state.stage).to.equal(r.stage);
      if (r.weight !== undefined) expect(p.state.greenWeight).to.equal(r.weight);
      if (r.cleanUp !== undefined) expect(p.cleanUp).to.equal(r.cleanUp);
      if (r.wakeAt !== undefined) expect(p.wakeAt).to.equal(r.wakeAt);
      expect(Boolean(p.failed)).to.equal(Boolean(r.failed));
      if (r.hooks) expect(p.invoked.map((h) => h.stage)).to.deep.equal(r.hooks);
    });
  }

  it('stages and hook invocations are logged in the order they happen', () => {
    const p = planBlueGreen(input({ config: { strategy: 'BLUE_GREEN', lifecycleHooks: [{ hookTargetArn: HOOK, lifecycleStages: ['POST_SCALE_UP'] }] } }));
    const i = p.log.findIndex((e) => e.hookTargetArn);
    expect(p.log[i - 1]).to.deep.equal({ stage: 'POST_SCALE_UP' });
    expect(p.log[i + 1]).to.deep.equal({ stage: 'TEST_TRAFFIC_SHIFT' });
  });

  it('test traffic moves to green at TEST_TRAFFIC_SHIFT, before production traffic', () => {
    const p = planBlueGreen(input({ config: { strategy: 'CANARY' } }));
    expect(p.state.testOnGreen).to.equal(true);
  });
});
