/**
 * AccountSetting: the ECS PutAccountSettingDefault request (`name`, `value`), named by the setting name.
 * It is the account default (the root principal's setting); per-user/role settings stay in the AWS front
 * end. ecsplane acts on `awsvpcTrunking` only: container instances launched after it is `enabled` get the
 * trunking ENI limit (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-eni.html);
 * the other settings are recorded and listed. Valid names and values: the PutAccountSettingDefault and
 * PutAccountSetting API references
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PutAccountSettingDefault.html).
 */
import type { EcsError } from '../errors.js';
import { ErrorType } from '../errors.js';
import { ACCOUNT } from '../arn.js';
import { Issues, checkName, clone, isStr, obj, type NameRule } from './common.js';

/** AWS's value for a new account, per setting name (the names PutAccountSettingDefault accepts). */
export const ACCOUNT_SETTING_DEFAULTS: Record<string, string> = {
  serviceLongArnFormat: 'enabled',
  taskLongArnFormat: 'enabled',
  containerInstanceLongArnFormat: 'enabled',
  awsvpcTrunking: 'disabled',
  containerInsights: 'disabled',
  fargateFIPSMode: 'disabled',
  tagResourceAuthorization: 'on',
  fargateTaskRetirementWaitPeriod: '7',
  guardDutyActivate: 'off',
  defaultLogDriverMode: 'non-blocking',
  fargateEventWindows: 'disabled',
};

/** The values each setting takes (API reference: "enabled, disabled, on, enhanced, and off"; 0/7/14 days; log modes). */
const VALUES: Record<string, string[]> = {
  serviceLongArnFormat: ['enabled', 'disabled'],
  taskLongArnFormat: ['enabled', 'disabled'],
  containerInstanceLongArnFormat: ['enabled', 'disabled'],
  awsvpcTrunking: ['enabled', 'disabled'],
  containerInsights: ['enabled', 'disabled', 'enhanced'],
  fargateFIPSMode: ['enabled', 'disabled'],
  tagResourceAuthorization: ['on', 'off'],
  fargateTaskRetirementWaitPeriod: ['0', '7', '14'],
  defaultLogDriverMode: ['blocking', 'non-blocking'],
  fargateEventWindows: ['enabled', 'disabled'],
};

/** Settings AWS manages (Setting.type aws_managed): "guardDutyActivate ... is read-only in Amazon ECS". */
export const AWS_MANAGED_SETTINGS = new Set(['guardDutyActivate']);

export const ACCOUNT_SETTING_NAME: NameRule = {
  pattern: new RegExp(`^(${Object.keys(ACCOUNT_SETTING_DEFAULTS).join('|')})$`),
  message: `An account setting is named by the setting: one of ${Object.keys(ACCOUNT_SETTING_DEFAULTS).join(', ')}.`,
  nameField: 'name',
};

export interface AccountSettingSpec {
  name?: string;
  value: string;
}

export const accountRootArn = (): string => `arn:aws:iam::${ACCOUNT}:root`;

export function isAccountSettingName(name: unknown): name is string {
  return isStr(name) && Object.prototype.hasOwnProperty.call(ACCOUNT_SETTING_DEFAULTS, name);
}

/** Why `value` is not valid for setting `name`, or undefined when it is (names checked elsewhere). */
export function accountSettingValueProblem(name: string, value: unknown): string | undefined {
  if (AWS_MANAGED_SETTINGS.has(name)) return `The ${name} account setting is managed by AWS and cannot be modified.`;
  const allowed = VALUES[name];
  if (!allowed) return undefined;
  if (!isStr(value) || !allowed.includes(value)) return `Invalid value '${String(value)}' for account setting ${name}. Valid values: ${allowed.join(', ')}.`;
  return undefined;
}

export function validateAccountSetting(o: any): EcsError[] {
  const issues = new Issues(ErrorType.InvalidParameter);
  const name = checkName(o, ACCOUNT_SETTING_NAME, issues);
  const s = obj(o?.spec);
  if (name && isAccountSettingName(name) && s.value !== undefined) {
    const problem = accountSettingValueProblem(name, s.value);
    if (problem) issues.add(AWS_MANAGED_SETTINGS.has(name) ? 'metadata.name' : 'spec.value', problem);
  }
  return issues.list;
}

/** The defaulted view: `name` from metadata.name. */
export function accountSettingWithDefaults(spec: AccountSettingSpec, meta?: { name?: string }): AccountSettingSpec {
  const s = clone(spec) ?? ({} as AccountSettingSpec);
  if (s.name === undefined && meta?.name !== undefined) s.name = meta.name;
  return s;
}

/** Pure: the Setting ListAccountSettings returns for this default. */
export function accountSettingStatus(name: string, spec: AccountSettingSpec): Record<string, unknown> {
  return { name, value: spec.value, principalArn: accountRootArn(), type: AWS_MANAGED_SETTINGS.has(name) ? 'aws_managed' : 'user' };
}
