/** AccountSetting rules: PutAccountSettingDefault's names and values, named by the setting. */
import { expect } from 'chai';
import { accountSettingStatus } from '../../../api/v1alpha1/account-setting.js';
import { withDefaults } from '../../../api/validate.js';
import { errorsOf, expectError, expectValid } from './helpers.js';

const IP = 'InvalidParameterException';

describe('AccountSetting', () => {
  const good: [string, any, string][] = [
    ['awsvpcTrunking enabled', { value: 'enabled' }, 'awsvpcTrunking'],
    ['awsvpcTrunking disabled with its name', { name: 'awsvpcTrunking', value: 'disabled' }, 'awsvpcTrunking'],
    ['containerInsights enhanced', { value: 'enhanced' }, 'containerInsights'],
    ['tagResourceAuthorization off', { value: 'off' }, 'tagResourceAuthorization'],
    ['fargateTaskRetirementWaitPeriod 14', { value: '14' }, 'fargateTaskRetirementWaitPeriod'],
    ['defaultLogDriverMode blocking', { value: 'blocking' }, 'defaultLogDriverMode'],
  ];
  for (const [what, spec, name] of good) it(`valid: ${what}`, () => expectValid('AccountSetting', spec, name));

  it('rejects an unknown setting name on metadata.name', () => {
    expectError(errorsOf('AccountSetting', { value: 'enabled' }, 'awsvpcTrunkingX'), { field: 'metadata.name', type: IP, message: /one of serviceLongArnFormat/ });
  });
  it('rejects spec.name differing from metadata.name', () => {
    expectError(errorsOf('AccountSetting', { name: 'containerInsights', value: 'enabled' }, 'awsvpcTrunking'), { field: 'spec.name', type: IP });
  });
  it('rejects a value the setting does not take', () => {
    expectError(errorsOf('AccountSetting', { value: 'on' }, 'awsvpcTrunking'), { field: 'spec.value', type: IP, message: /Valid values: enabled, disabled/ });
    expectError(errorsOf('AccountSetting', { value: '30' }, 'fargateTaskRetirementWaitPeriod'), { field: 'spec.value', type: IP, message: /0, 7, 14/ });
  });
  it('requires a value', () => {
    expectError(errorsOf('AccountSetting', {}, 'awsvpcTrunking'), { field: 'spec.value', type: IP });
  });
  it('rejects guardDutyActivate, which AWS manages', () => {
    expectError(errorsOf('AccountSetting', { value: 'on' }, 'guardDutyActivate'), { field: 'metadata.name', type: IP, message: /managed by AWS/ });
  });
  it('fills name from metadata.name', () => {
    expect(withDefaults('AccountSetting', { value: 'enabled' }, { name: 'awsvpcTrunking' })).to.deep.equal({ name: 'awsvpcTrunking', value: 'enabled' });
  });
  it('status is the root principal\'s Setting', () => {
    expect(accountSettingStatus('awsvpcTrunking', { value: 'enabled' })).to.deep.equal({
      name: 'awsvpcTrunking', value: 'enabled', principalArn: 'arn:aws:iam::123456789012:root', type: 'user',
    });
  });
});
