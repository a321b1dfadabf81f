import { expect } from 'chai';
import * as E from '@aws-sdk/client-ecs';
import * as S from '@aws-sdk/client-auto-scaling';
import { fails, queryPost } from './query-helpers.js';
import { startTestApi, type TestApi } from './harness.js';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';



describe('AWS API: EC2 Auto Scaling (Query) through @aws-sdk/client-auto-scaling', () => {
  let t: TestApi;
  let asg: S.AutoScalingClient;
  beforeEach(async () => {
    t = await startTestApi();
    asg = new S.AutoScalingClient({ endpoint: t.server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  afterEach(async () => {
    asg.destroy();
    await t.stop();
  });

  async function groupWithInstances(desired: number) {
    await asg.send(new S.CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'asg-web', MinSize: 0, MaxSize: 4, DesiredCapacity: desired, AvailabilityZones: ['us-east-1a', 'us-east-1b'] }));
    await t.ecs.send(new E.CreateCapacityProviderCommand({ name: 'cp-web', autoScalingGroupProvider: { autoScalingGroupArn: 'asg-web', managedTerminationProtection: 'DISABLED' } }));
    await t.ecs.send(new E.CreateClusterCommand({ clusterName: 'prod', capacityProviders: ['cp-web'] }));
    t.advance(5 * 60_000);
  }

  it('groups: create, describe (instances after their launch delay), duplicate, update, set desired capacity, delete', async () => {
    await groupWithInstances(2);
    const d = await asg.send(new S.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['asg-web'] }));
    const g = d.AutoScalingGroups![0];
    expect([g.AutoScalingGroupName, g.MinSize, g.MaxSize, g.DesiredCapacity, g.DefaultCooldown, g.HealthCheckType]).to.deep.equal(['asg-web', 0, 4, 2, 300, 'EC2']);
    expect(g.AutoScalingGroupARN).to.match(/^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/asg-web$/);
    expect(g.AvailabilityZones).to.deep.equal(['us-east-1a', 'us-east-1b']);
    expect(g.CreatedTime).to.be.instanceOf(Date);
    expect(g.Instances!.map((i) => [i.LifecycleState, i.HealthStatus, i.InstanceType, i.ProtectedFromScaleIn])).to.deep.equal([
      ['InService', 'Healthy', 'm5.large', false],
      ['InService', 'Healthy', 'm5.large', false],
    ]);
    expect(t.app.store.list('ContainerInstance')).to.have.length(2);
    const dup = await fails(asg.send(new S.CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'asg-web', MinSize: 0, MaxSize: 1, AvailabilityZones: ['us-east-1a'] })));
    expect([dup.name, dup.$metadata.httpStatusCode, dup.message]).to.deep.equal(['AlreadyExistsFault', 400, 'AutoScalingGroup by this name already exists - A group with the name asg-web already exists']);
    await asg.send(new S.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'asg-web', MinSize: 3 }));
    expect(t.app.store.get('AutoScalingGroup', 'asg-web')!.spec.DesiredCapacity).to.equal(3); // raised to the new minimum
    const above = await fails(asg.send(new S.SetDesiredCapacityCommand({ AutoScalingGroupName: 'asg-web', DesiredCapacity: 9 })));
    expect([above.name, above.message]).to.deep.equal(['ValidationError', 'New SetDesiredCapacity value 9 is above max value 4 for the AutoScalingGroup.']);
    await asg.send(new S.SetDesiredCapacityCommand({ AutoScalingGroupName: 'asg-web', DesiredCapacity: 4 }));
    t.advance(5 * 60_000);
    const after = await asg.send(new S.DescribeAutoScalingGroupsCommand({}));
    expect([after.AutoScalingGroups![0].DesiredCapacity, after.AutoScalingGroups![0].Instances!.length]).to.deep.equal([4, 4]);
    const inUse = await fails(asg.send(new S.DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'asg-web' })));
    expect([inUse.name, inUse.message]).to.deep.equal(['ResourceInUseFault', 'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.']);
    const missing = await fails(asg.send(new S.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'nope', MaxSize: 1 })));
    expect([missing.name, missing.message]).to.deep.equal(['ValidationError', "AutoScalingGroup name not found - AutoScalingGroup 'nope' not found"]);
  });

  it('instances: describe with pagination, set instance protection (unknown instance refused)', async () => {
    await groupWithInstances(3);
    const p1 = await asg.send(new S.DescribeAutoScalingInstancesCommand({ MaxRecords: 2 }));
    expect(p1.AutoScalingInstances).to.have.length(2);
    const p2 = await asg.send(new S.DescribeAutoScalingInstancesCommand({ MaxRecords: 2, NextToken: p1.NextToken }));
    expect([p2.AutoScalingInstances!.length, p2.NextToken]).to.deep.equal([1, undefined]);
    const first = p1.AutoScalingInstances![0];
    expect([first.AutoScalingGroupName, first.HealthStatus, first.LifecycleState]).to.deep.equal(['asg-web', 'HEALTHY', 'InService']);
    await asg.send(new S.SetInstanceProtectionCommand({ AutoScalingGroupName: 'asg-web', InstanceIds: [first.InstanceId!], ProtectedFromScaleIn: true }));
    t.advance(60_000);
    const one = await asg.send(new S.DescribeAutoScalingInstancesCommand({ InstanceIds: [first.InstanceId!] }));
    expect(one.AutoScalingInstances!.map((i) => i.ProtectedFromScaleIn)).to.deep.equal([true]);
    // Scale-in keeps the protected instance.
    await asg.send(new S.SetDesiredCapacityCommand({ AutoScalingGroupName: 'asg-web', DesiredCapacity: 1 }));
    t.advance(10 * 60_000);
    const left = await asg.send(new S.DescribeAutoScalingInstancesCommand({}));
    expect(left.AutoScalingInstances!.map((i) => i.InstanceId)).to.deep.equal([first.InstanceId]);
    const bad = await fails(asg.send(new S.SetInstanceProtectionCommand({ AutoScalingGroupName: 'asg-web', InstanceIds: ['i-0000'], ProtectedFromScaleIn: true })));
    expect([bad.name, bad.message]).to.deep.equal(['ValidationError', 'The instance i-0000 is not part of Auto Scaling group asg-web.']);
    await asg.send(new S.DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'asg-web', ForceDelete: true }));
    expect(t.app.store.get('AutoScalingGroup', 'asg-web')).to.equal(undefined);
  });

  it('input checks and admission errors are ValidationError; nothing is stored', async () => {
    const nomax = await fails(asg.send(new S.CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'g', MinSize: 0 } as any)));
    expect([nomax.name, nomax.$metadata.httpStatusCode]).to.deep.equal(['ValidationError', 400]);
    expect(nomax.message).to.include('Missing required parameter in input: "MaxSize"');
    const bounds = await fails(asg.send(new S.CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'g', MinSize: 3, MaxSize: 1, AvailabilityZones: ['us-east-1a'] })));
    expect([bounds.name, bounds.message]).to.deep.equal(['ValidationError', 'Max bound, 1, must be greater than or equal to min bound, 3 (spec.MaxSize)']);
    const paging = await fails(asg.send(new S.DescribeAutoScalingGroupsCommand({ NextToken: 'garbage' })));
    expect(paging.name).to.equal('InvalidNextToken');
    expect(t.app.store.list('AutoScalingGroup')).to.deep.equal([]);
  });

  it('hostile forms: prototype keys, deep keys, huge list indexes and markup in values are harmless', async () => {
    const form: Record<string, string> = {
      Action: 'CreateAutoScalingGroup',
      Version: '2011-01-01',
      AutoScalingGroupName: 'g',
      MinSize: '0',
      MaxSize: '1',
      'AvailabilityZones.member.1': 'us-east-1a',
      'AvailabilityZones.member.9999999': 'us-east-1b',
      'Tags.member.1.__proto__': 'x',
      'Tags.member.1.Key': '<k>&"',
      'Tags.member.1.Value': ']]></Value><Evil/>',
      [`${'a.'.repeat(5000)}b`]: 'deep',
    };
    const r = await queryPost(t.server.url, form, 'autoscaling');
    expect(r.status).to.equal(200);
    const g = t.app.store.get('AutoScalingGroup', 'g')!;
    expect(g.spec.AvailabilityZones).to.deep.equal(['us-east-1a', 'us-east-1b']);
    expect(Object.getPrototypeOf(g.spec.Tags[0])).to.equal(Object.prototype);
    const d = await queryPost(t.server.url, { Action: 'DescribeAutoScalingGroups', Version: '2011-01-01' }, 'autoscaling');
    expect(d.body).to.include('<Key>&lt;k&gt;&amp;&quot;</Key><Value>]]&gt;&lt;/Value&gt;&lt;Evil/&gt;</Value>');
    const tags = (await asg.send(new S.DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups![0].Tags!;
    expect(tags.map((x) => [x.Key, x.Value])).to.deep.equal([['<k>&"', ']]></Value><Evil/>']]);
  });

  it('wire format: XML envelope with the request id; errors as <ErrorResponse>; the signing name picks the service', async () => {
    const ok = await queryPost(t.server.url, { Action: 'DescribeAutoScalingGroups', Version: '2011-01-01' }, 'autoscaling');
    expect([ok.status, ok.type]).to.deep.equal([200, 'text/xml']);
    expect(ok.body).to.equal(
      `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingGroupsResult><AutoScalingGroups></AutoScalingGroups></DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>${ok.requestId}</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>`,
    );
    const badInt = await queryPost(t.server.url, { Action: 'CreateAutoScalingGroup', Version: '2011-01-01', AutoScalingGroupName: 'g', MinSize: 'x<1>', MaxSize: '2' }, 'autoscaling');
    expect(badInt.status).to.equal(400);
    expect(badInt.body).to.include('<Error><Type>Sender</Type><Code>ValidationError</Code><Message>Invalid integer value &quot;x&lt;1&gt;&quot; for parameter MinSize.</Message></Error>');
    // Same action, signed for ELBv2: ELBv2 has no such operation.
    const wrong = await queryPost(t.server.url, { Action: 'DescribeAutoScalingGroups', Version: '2011-01-01' }, 'elasticloadbalancing');
    expect(wrong.body).to.include('<Code>InvalidAction</Code>');
    // Unsigned: the Version decides.
    expect((await queryPost(t.server.url, { Action: 'DescribeAutoScalingGroups', Version: '2011-01-01' })).status).to.equal(200);
  });
});
