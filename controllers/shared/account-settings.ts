/**
 * The account's setting defaults as the loops see them: the AccountSetting object of that name, else AWS's
 * default for a new account. And the trunk ENI ECS gives an instance registered while awsvpcTrunking is on
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-eni.html).
 */
import { ACCOUNT_SETTING_DEFAULTS } from '../../api/v1alpha1/account-setting.js';
import { supportsTrunking } from '../../api/instance-types.js';
import type { ResourceStore } from '../../store/store.js';

export const TRUNK_ID_ATTRIBUTE = 'ecs.awsvpc-trunk-id';

export function accountSettingValue(store: ResourceStore, name: string): string | undefined {
  const value = store.get('AccountSetting', name)?.spec?.value;
  return typeof value === 'string' ? value : ACCOUNT_SETTING_DEFAULTS[name];
}

/**
 * The `ecs.awsvpc-trunk-id` attribute an instance registering now carries: only while awsvpcTrunking is
 * `enabled` and only on a type that supports trunking; an `eni-` id (17 hex digits) taken from the instance id.
 */
export function trunkAttribute(store: ResourceStore, instanceId: string, instanceType: string): { name: string; value: string } | undefined {
  if (accountSettingValue(store, 'awsvpcTrunking') !== 'enabled' || !supportsTrunking(instanceType)) return undefined;
  return { name: TRUNK_ID_ATTRIBUTE, value: `eni-${instanceId.replace(/^i-/, '').padEnd(17, '0').slice(0, 17)}` };
}
