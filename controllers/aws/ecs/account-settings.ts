/**
 * PutAccountSetting, PutAccountSettingDefault, DeleteAccountSetting, ListAccountSettings. No ecsplane
 * behaviour depends on them (awsvpcTrunking does not change ENI limits in the simulation), so they are
 * front-end state, persisted beside the state file (front-end-state.ts), not a kind.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-account-settings.html
 */
import { ACCOUNT } from '../../../api/arn.js';
import { AwsError } from '../errors.js';
import type { JsonOperation, RequestContext } from '../router.js';
import { paginate } from './common.js';

type Setting = { name: string; value: string; principalArn: string; type: 'user' | 'aws_managed' };

/** AWS's defaults for a new account. */
const DEFAULTS: Record<string, string> = {
  awsvpcTrunking: 'disabled',
  containerInsights: 'disabled',
  containerInstanceLongArnFormat: 'enabled',
  serviceLongArnFormat: 'enabled',
  taskLongArnFormat: 'enabled',
  dualStackIPv6: 'disabled',
  fargateFIPSMode: 'disabled',
  fargateTaskRetirementWaitPeriod: '7',
  tagResourceAuthorization: 'on',
  guardDutyActivate: 'off',
  defaultLogDriverMode: 'non-blocking',
};
const KEY = 'ecs.accountSettings';

const root = () => `arn:aws:iam::${ACCOUNT}:root`;

function stored(ctx: RequestContext): Record<string, Record<string, string>> {
  return (ctx.extras.get(KEY) as Record<string, Record<string, string>>) ?? {};
}

function effective(ctx: RequestContext, principal: string): Setting[] {
  const all = stored(ctx);
  return Object.keys(DEFAULTS).map((name) => {
    const own = all[principal]?.[name] ?? all[root()]?.[name];
    return { name, value: own ?? DEFAULTS[name], principalArn: principal, type: own === undefined ? 'aws_managed' : 'user' };
  });
}

function checkName(name: string): void {
  if (!Object.prototype.hasOwnProperty.call(DEFAULTS, name)) throw new AwsError('InvalidParameterException', `Invalid account setting name: ${name}.`);
}

async function put(ctx: RequestContext, name: string, value: string, principal: string): Promise<unknown> {
  checkName(name);
  const all = stored(ctx);
  await ctx.extras.set(KEY, { ...all, [principal]: { ...(all[principal] ?? {}), [name]: value } });
  return { setting: { name, value, principalArn: principal, type: 'user' } };
}

export const accountSettingOperations: Record<string, JsonOperation> = {
  PutAccountSetting: (ctx, input) => put(ctx, input.name, input.value, input.principalArn ?? root()),
  PutAccountSettingDefault: (ctx, input) => put(ctx, input.name, input.value, root()),

  async DeleteAccountSetting(ctx, input) {
    checkName(input.name);
    const principal = input.principalArn ?? root();
    const all = stored(ctx);
    const mine = { ...(all[principal] ?? {}) };
    delete mine[input.name];
    await ctx.extras.set(KEY, { ...all, [principal]: mine });
    return { setting: effective(ctx, principal).find((s) => s.name === input.name) };
  },

  ListAccountSettings(ctx, input) {
    const principal = input.principalArn ?? root();
    let settings = input.effectiveSettings ? effective(ctx, principal) : effective(ctx, principal).filter((s) => s.type === 'user');
    if (input.name) settings = settings.filter((s) => s.name === input.name);
    if (input.value !== undefined) settings = settings.filter((s) => s.value === input.value);
    const page = paginate(settings, input, 'ListAccountSettings', 10);
    return { settings: page.items, nextToken: page.nextToken };
  },
};
