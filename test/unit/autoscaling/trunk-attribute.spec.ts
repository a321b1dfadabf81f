/** The trunk ENI attribute an instance registers with while awsvpcTrunking is enabled (controllers/shared/account-settings.ts). */
import { expect } from 'chai';
import { supportsTrunking } from '../../../api/instance-types.js';
import { accountSettingValue, trunkAttribute } from '../../../controllers/shared/account-settings.js';
import { testApp } from '../../helpers/fixtures.js';

const setting = (value: string) => ({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'AccountSetting', metadata: { name: 'awsvpcTrunking' }, spec: { value } });

describe('awsvpcTrunking and the trunk ENI attribute', () => {
  it('types of the trunking table support it; burstable and unknown types do not', () => {
    expect(['c5.large', 'm5.xlarge', 'r6g.4xlarge'].map(supportsTrunking)).to.deep.equal([true, true, true]);
    expect(['t3.large', 'c5.metal', 'c5.24xlarge', 'nope.large', 'c5'].map(supportsTrunking)).to.deep.equal([false, false, false, false, false]);
  });

  it('AWS default (disabled) when no AccountSetting exists; the object once applied', () => {
    const app = testApp();
    expect(accountSettingValue(app.store, 'awsvpcTrunking')).to.equal('disabled');
    expect(trunkAttribute(app.store, 'i-0123456789abcdef0', 'c5.large')).to.equal(undefined);
    app.api.apply(setting('enabled'));
    expect(accountSettingValue(app.store, 'awsvpcTrunking')).to.equal('enabled');
    expect(trunkAttribute(app.store, 'i-0123456789abcdef0', 'c5.large')).to.deep.equal({ name: 'ecs.awsvpc-trunk-id', value: 'eni-0123456789abcdef0' });
    expect(trunkAttribute(app.store, 'i-0123456789abcdef0', 't3.large')).to.equal(undefined);
    app.api.apply(setting('disabled'));
    expect(trunkAttribute(app.store, 'i-0123456789abcdef0', 'c5.large')).to.equal(undefined);
  });
});
