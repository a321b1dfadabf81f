/** Account settings through @aws-sdk/client-ecs: the account default is an AccountSetting object the loops read. */
import { expect } from 'chai';
import * as E from '@aws-sdk/client-ecs';
import { fails, startTestApi, type TestApi } from './harness.js';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';

const ROOT = 'arn:aws:iam::123456789012:root';
const USER = 'arn:aws:iam::123456789012:user/alice';

describe('AWS API: account settings', () => {
  let t: TestApi;
  let ecs: E.ECSClient;
  beforeEach(async () => {
    t = await startTestApi();
    ecs = t.ecs;
  });
  afterEach(async () => t.stop());

  it('PutAccountSettingDefault writes the AccountSetting object; ListAccountSettings reads it', async () => {
    const put = await ecs.send(new E.PutAccountSettingDefaultCommand({ name: 'awsvpcTrunking', value: 'enabled' }));
    expect(put.setting).to.deep.include({ name: 'awsvpcTrunking', value: 'enabled', principalArn: ROOT });
    expect(t.app.store.get('AccountSetting', 'awsvpcTrunking')?.spec).to.deep.equal({ name: 'awsvpcTrunking', value: 'enabled' });
    const list = await ecs.send(new E.ListAccountSettingsCommand({}));
    expect(list.settings).to.deep.equal([{ name: 'awsvpcTrunking', value: 'enabled', principalArn: ROOT, type: 'user' }]);
    t.advance(1000);
    expect(t.app.store.get('AccountSetting', 'awsvpcTrunking')?.status).to.include({ value: 'enabled', principalArn: ROOT, type: 'user' });
  });

  it('PutAccountSetting and DeleteAccountSetting for the root user act on the default; a user inherits it', async () => {
    await ecs.send(new E.PutAccountSettingCommand({ name: 'containerInsights', value: 'enhanced', principalArn: ROOT }));
    expect(t.app.store.get('AccountSetting', 'containerInsights')?.spec.value).to.equal('enhanced');
    const alice = await ecs.send(new E.ListAccountSettingsCommand({ principalArn: USER, effectiveSettings: true, name: 'containerInsights' }));
    expect(alice.settings).to.deep.equal([{ name: 'containerInsights', value: 'enhanced', principalArn: USER, type: 'user' }]);
    await ecs.send(new E.PutAccountSettingCommand({ name: 'containerInsights', value: 'disabled', principalArn: USER }));
    expect(t.app.store.get('AccountSetting', 'containerInsights')?.spec.value).to.equal('enhanced'); // a user's own setting is not the default
    const del = await ecs.send(new E.DeleteAccountSettingCommand({ name: 'containerInsights' }));
    expect(del.setting).to.deep.equal({ name: 'containerInsights', value: 'disabled', principalArn: ROOT, type: 'aws_managed' });
    expect(t.app.store.get('AccountSetting', 'containerInsights')).to.equal(undefined);
    const mine = await ecs.send(new E.ListAccountSettingsCommand({ principalArn: USER }));
    expect(mine.settings).to.deep.equal([{ name: 'containerInsights', value: 'disabled', principalArn: USER, type: 'user' }]);
  });

  it('refuses a bad value or name with InvalidParameterException and stores nothing', async () => {
    const bad = await fails(ecs.send(new E.PutAccountSettingDefaultCommand({ name: 'awsvpcTrunking', value: 'on' })));
    expect(bad.name).to.equal('InvalidParameterException');
    expect(bad.message).to.match(/Valid values: enabled, disabled/);
    const badName = await fails(ecs.send(new E.PutAccountSettingDefaultCommand({ name: 'awsvpcTrunkingX' as E.SettingName, value: 'enabled' })));
    expect(badName.name).to.equal('InvalidParameterException');
    expect(badName.message).to.match(/"awsvpcTrunkingX" at "name" failed to satisfy constraint/);
    const managed = await fails(ecs.send(new E.PutAccountSettingCommand({ name: 'guardDutyActivate', value: 'on', principalArn: USER })));
    expect(managed.message).to.match(/managed by AWS/);
    expect(t.app.store.count('AccountSetting')).to.equal(0);
  });
});
