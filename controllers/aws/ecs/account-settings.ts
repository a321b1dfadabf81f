/**
 * PutAccountSetting, PutAccountSettingDefault, DeleteAccountSetting, ListAccountSettings.
 * The account default (PutAccountSettingDefault, or PutAccountSetting/DeleteAccountSetting for the root
 * user: no principalArn or `arn:aws:iam::<account>:root`) is an AccountSetting object, written through
 * admission like every other kind, so the loops act on it (awsvpcTrunking: instances registered afterwards
 * get a trunk ENI). Settings of other users and roles change nothing ecsplane simulates: they stay
 * front-end state, persisted beside the state file (front-end-state.ts).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-account-settings.html
 */
import {
  ACCOUNT_SETTING_DEFAULTS,
  AWS_MANAGED_SETTINGS,
  accountRootArn,
  accountSettingValueProblem,
  isAccountSettingName,
} from '../../../api/v1alpha1/account-setting.js';
import { AwsError } from '../errors.js';
import type { JsonOperation, RequestContext } from '../router.js';
import { applyOne } from './apply.js';
import { paginate, resource } from './common.js';

type Setting = { name: string; value: string; principalArn: string; type: 'user' | 'aws_managed' };

/** Settings of principals other than the root user: principal ARN → setting name → value. */
const KEY = 'ecs.accountSettings';

const isRoot = (principal: string | undefined): boolean => principal === undefined || principal === null || principal === accountRootArn();

function others(ctx: RequestContext): Record<string, Record<string, string>> {
  return (ctx.extras.get(KEY) as Record<string, Record<string, string>>) ?? {};
}

function accountDefault(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.app.store.get('AccountSetting', name)?.spec?.value;
  return typeof value === 'string' ? value : undefined;
}

function effective(ctx: RequestContext, principal: string): Setting[] {
  const own = isRoot(principal) ? {} : (others(ctx)[principal] ?? {});
  return Object.keys(ACCOUNT_SETTING_DEFAULTS).map((name) => {
    const value = own[name] ?? accountDefault(ctx, name);
    const managed = value === undefined || AWS_MANAGED_SETTINGS.has(name);
    return { name, value: value ?? ACCOUNT_SETTING_DEFAULTS[name], principalArn: principal, type: managed ? 'aws_managed' : 'user' };
  });
}

function checkName(name: unknown): asserts name is string {
  if (!isAccountSettingName(name)) throw new AwsError('InvalidParameterException', `Invalid account setting name: ${String(name)}.`);
}

async function put(ctx: RequestContext, name: unknown, value: unknown, principal: string | undefined): Promise<unknown> {
  checkName(name);
  if (isRoot(principal)) {
    // The account default: admission validates the value (api/v1alpha1/account-setting.ts).
    await applyOne(ctx.app, resource('AccountSetting', name, { name, value }));
  } else {
    const problem = accountSettingValueProblem(name, value);
    if (problem) throw new AwsError('InvalidParameterException', problem);
    const all = others(ctx);
    await ctx.extras.set(KEY, { ...all, [principal!]: { ...(all[principal!] ?? {}), [name]: value as string } });
  }
  return { setting: { name, value, principalArn: principal ?? accountRootArn(), type: 'user' } };
}

export const accountSettingOperations: Record<string, JsonOperation> = {
  PutAccountSetting: (ctx, input) => put(ctx, input.name, input.value, input.principalArn ?? undefined),
  PutAccountSettingDefault: (ctx, input) => put(ctx, input.name, input.value, undefined),

  async DeleteAccountSetting(ctx, input) {
    checkName(input.name);
    const principal: string = input.principalArn ?? accountRootArn();
    if (isRoot(principal)) {
      if (ctx.app.store.get('AccountSetting', input.name)) await ctx.app.api.deleteAndPersist('AccountSetting', input.name);
    } else {
      const all = others(ctx);
      const mine = { ...(all[principal] ?? {}) };
      delete mine[input.name];
      await ctx.extras.set(KEY, { ...all, [principal]: mine });
    }
    return { setting: effective(ctx, principal).find((s) => s.name === input.name) };
  },

  ListAccountSettings(ctx, input) {
    const principal: string = input.principalArn ?? accountRootArn();
    let settings = input.effectiveSettings ? effective(ctx, principal) : effective(ctx, principal).filter((s) => s.type === 'user');
    if (input.name) settings = settings.filter((s) => s.name === input.name);
    if (input.value !== undefined) settings = settings.filter((s) => s.value === input.value);
    const page = paginate(settings, input, 'ListAccountSettings', 10);
    return { settings: page.items, nextToken: page.nextToken };
  },
};
