/**
 * ECS-native BLUE_GREEN, LINEAR and CANARY deployments as a pure plan over lifecycle stages:
 * RECONCILE_SERVICE → PRE_SCALE_UP → SCALE_UP (the green revision scales up to the full desired
 * count beside blue) → POST_SCALE_UP → TEST_TRAFFIC_SHIFT → POST_TEST_TRAFFIC_SHIFT →
 * PRE_PRODUCTION_TRAFFIC_SHIFT → PRODUCTION_TRAFFIC_SHIFT (all at once; LINEAR in steps of
 * `stepPercent` every `stepBakeTimeInMinutes`; CANARY `canaryPercent`, then the rest after
 * `canaryBakeTimeInMinutes`) → POST_PRODUCTION_TRAFFIC_SHIFT → BAKE_TIME (`bakeTimeInMinutes`, both
 * revisions run) → CLEAN_UP (blue scales down). Lifecycle hooks run at the stages they name (at
 * every production traffic step for LINEAR/CANARY); a stage waits until its hooks SUCCEEDED, and a
 * FAILED hook rolls the deployment back (production traffic back to blue, green scaled down).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-linear.html
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/canary-deployment.html
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html
 */
export const STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;
export type LifecycleStage = (typeof STAGES)[number];
export type HookStatus = 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';

/** API_LinearConfiguration / API_CanaryConfiguration defaults. */
export const LINEAR_DEFAULTS = { stepPercent: 10, stepBakeTimeInMinutes: 6 };
export const CANARY_DEFAULTS = { canaryPercent: 5, canaryBakeTimeInMinutes: 10 };

export interface BlueGreenState {
  stage: LifecycleStage;
  stageStartedAt: number;
  /** Production traffic on green, percent. */
  greenWeight: number;
  /** Test traffic on green (the test listener rule), once TEST_TRAFFIC_SHIFT ran. */
  testOnGreen: boolean;
  /** When the current production traffic step was made. */
  stepAt?: number;
  /** Hook invocations awaiting a result in the current stage (hook ARN → invoked at, epoch ms). */
  pending: Record<string, number>;
}

export interface BlueGreenConfig {
  strategy: 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
  bakeTimeInMinutes?: number;
  linearConfiguration?: { stepPercent?: number; stepBakeTimeInMinutes?: number };
  canaryConfiguration?: { canaryPercent?: number; canaryBakeTimeInMinutes?: number };
  lifecycleHooks?: Array<{ hookTargetArn?: string; lifecycleStages?: string[] }>;
}

export interface BlueGreenInput {
  config: BlueGreenConfig;
  state?: BlueGreenState;
  desiredCount: number;
  /** Green tasks healthy now. */
  greenHealthy: number;
  /** Blue tasks still active (CLEAN_UP ends when none is left). */
  blueActive: number;
  /** A hook's answer now (ecsplane's hook result store; a hook nobody set answers SUCCEEDED). */
  hookResult: (hookTargetArn: string, stage: LifecycleStage) => HookStatus;
  now: number;
}

export interface BlueGreenPlan {
  state: BlueGreenState;
  /** Hooks invoked in this step, in order. */
  invoked: Array<{ hookTargetArn: string; stage: LifecycleStage }>;
  /** Stages entered in this step, in order. */
  entered: LifecycleStage[];
  /** Both, in the order they happened. */
  log: Array<{ stage: LifecycleStage; hookTargetArn?: string }>;
  /** A hook answered FAILED: roll back. */
  failed?: { hookTargetArn: string; stage: LifecycleStage };
  /** Blue may be scaled down (CLEAN_UP). */
  cleanUp: boolean;
  /** Look again then (a bake or step time ends). */
  wakeAt?: number;
}

const HOOK_POLL_MS = 30_000;

function hooksAt(config: BlueGreenConfig, stage: LifecycleStage): string[] {
  return (config.lifecycleHooks ?? []).filter((h) => h.hookTargetArn && (h.lifecycleStages ?? []).includes(stage)).map((h) => h.hookTargetArn!);
}

/** The next production weight after `w` for the strategy (100 = all traffic on green). */
export function nextWeight(config: BlueGreenConfig, w: number): number {
  if (config.strategy === 'BLUE_GREEN') return 100;
  if (config.strategy === 'CANARY') return w === 0 ? Math.min(100, config.canaryConfiguration?.canaryPercent ?? CANARY_DEFAULTS.canaryPercent) : 100;
  const step = config.linearConfiguration?.stepPercent ?? LINEAR_DEFAULTS.stepPercent;
  return Math.min(100, Math.round((w + step) * 10) / 10);
}

function stepWaitMs(config: BlueGreenConfig): number {
  if (config.strategy === 'CANARY') return (config.canaryConfiguration?.canaryBakeTimeInMinutes ?? CANARY_DEFAULTS.canaryBakeTimeInMinutes) * 60_000;
  if (config.strategy === 'LINEAR') return (config.linearConfiguration?.stepBakeTimeInMinutes ?? LINEAR_DEFAULTS.stepBakeTimeInMinutes) * 60_000;
  return 0;
}

export function planBlueGreen(input: BlueGreenInput): BlueGreenPlan {
  const { config, now } = input;
  const s: BlueGreenState = input.state ? { ...input.state, pending: { ...input.state.pending } } : { stage: 'RECONCILE_SERVICE', stageStartedAt: now, greenWeight: 0, testOnGreen: false, pending: {} };
  const invoked: BlueGreenPlan['invoked'] = [];
  const entered: LifecycleStage[] = input.state ? [] : ['RECONCILE_SERVICE'];
  const log: BlueGreenPlan['log'] = input.state ? [] : [{ stage: 'RECONCILE_SERVICE' }];
  let wakeAt: number | undefined;
  const invoke = (stage: LifecycleStage) => {
    for (const arn of hooksAt(config, stage)) {
      s.pending[arn] = now;
      invoked.push({ hookTargetArn: arn, stage });
      log.push({ stage, hookTargetArn: arn });
    }
  };
  if (!input.state) invoke('RECONCILE_SERVICE');

  for (let guard = 0; guard < 64; guard++) {
    // The stage's hooks must all have SUCCEEDED.
    for (const arn of Object.keys(s.pending)) {
      const r = input.hookResult(arn, s.stage);
      if (r === 'FAILED') return { state: s, invoked, entered, log, failed: { hookTargetArn: arn, stage: s.stage }, cleanUp: false };
      if (r === 'SUCCEEDED') delete s.pending[arn];
    }
    if (Object.keys(s.pending).length) {
      wakeAt = now + HOOK_POLL_MS; // ECS invokes an IN_PROGRESS hook again (every 30 s)
      break;
    }
    // The stage's own work.
    if (s.stage === 'SCALE_UP' && input.greenHealthy < input.desiredCount) break;
    if (s.stage === 'TEST_TRAFFIC_SHIFT') s.testOnGreen = true;
    if (s.stage === 'PRODUCTION_TRAFFIC_SHIFT' && s.greenWeight < 100) {
      const due = s.stepAt === undefined ? now : s.stepAt + stepWaitMs(config);
      if (now < due) {
        wakeAt = due;
        break;
      }
      s.greenWeight = nextWeight(config, s.greenWeight);
      s.stepAt = now;
      invoke('PRODUCTION_TRAFFIC_SHIFT'); // its hooks run at every traffic step
      continue;
    }
    if (s.stage === 'BAKE_TIME') {
      const until = s.stageStartedAt + (config.bakeTimeInMinutes ?? 0) * 60_000;
      if (now < until) {
        wakeAt = until;
        break;
      }
    }
    if (s.stage === 'CLEAN_UP') break;
    // Next stage.
    const next = STAGES[STAGES.indexOf(s.stage) + 1];
    s.stage = next;
    s.stageStartedAt = now;
    entered.push(next);
    log.push({ stage: next });
    if (next !== 'PRODUCTION_TRAFFIC_SHIFT') invoke(next);
  }
  return { state: s, invoked, entered, log, cleanUp: s.stage === 'CLEAN_UP', ...(wakeAt !== undefined ? { wakeAt } : {}) };
}
