import { expect } from 'chai';
import * as E from '@aws-sdk/client-ecs';
import * as L from '@aws-sdk/client-elastic-load-balancing-v2';
import { fails, queryPost } from './query-helpers.js';
import { instanceInput, startTestApi, type TestApi } from './harness.js';

process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';


const httpGroup = { Name: 'web-tg', Protocol: 'HTTP' as const, Port: 80, VpcId: 'vpc-1', TargetType: 'instance' as const, HealthCheckPath: '/health' };

describe('AWS API: Elastic Load Balancing v2 target groups (Query) through @aws-sdk/client-elastic-load-balancing-v2', () => {
  let t: TestApi;
  let elb: L.ElasticLoadBalancingV2Client;
  beforeEach(async () => {
    t = await startTestApi();
    elb = new L.ElasticLoadBalancingV2Client({ endpoint: t.server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  afterEach(async () => {
    elb.destroy();
    await t.stop();
  });

  it('target groups: create (idempotent; different settings refused), describe by name / ARN with pagination, delete', async () => {
    const c = await elb.send(new L.CreateTargetGroupCommand(httpGroup));
    const tg = c.TargetGroups![0];
    expect(tg.TargetGroupArn).to.equal('arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef');
    expect([tg.TargetGroupName, tg.Protocol, tg.Port, tg.HealthCheckPath, tg.HealthCheckIntervalSeconds, tg.HealthyThresholdCount, tg.Matcher?.HttpCode]).to.deep.equal([
      'web-tg',
      'HTTP',
      80,
      '/health',
      30,
      5,
      '200',
    ]);
    expect((await elb.send(new L.CreateTargetGroupCommand(httpGroup))).TargetGroups![0].TargetGroupArn).to.equal(tg.TargetGroupArn);
    const dup = await fails(elb.send(new L.CreateTargetGroupCommand({ ...httpGroup, Port: 8080 })));
    expect([dup.name, dup.$metadata.httpStatusCode, dup.message]).to.deep.equal(['DuplicateTargetGroupNameException', 400, "A target group with the same name 'web-tg' exists, but with different settings"]);
    for (const n of ['a-tg', 'b-tg']) await elb.send(new L.CreateTargetGroupCommand({ ...httpGroup, Name: n }));
    const p1 = await elb.send(new L.DescribeTargetGroupsCommand({ PageSize: 2 }));
    expect(p1.TargetGroups!.map((g) => g.TargetGroupName)).to.deep.equal(['a-tg', 'b-tg']);
    const p2 = await elb.send(new L.DescribeTargetGroupsCommand({ PageSize: 2, Marker: p1.NextMarker }));
    expect([p2.TargetGroups!.map((g) => g.TargetGroupName), p2.NextMarker]).to.deep.equal([['web-tg'], undefined]);
    const byArn = await elb.send(new L.DescribeTargetGroupsCommand({ TargetGroupArns: [tg.TargetGroupArn!], Names: ['a-tg'] }));
    expect(byArn.TargetGroups!.map((g) => g.TargetGroupName)).to.deep.equal(['web-tg', 'a-tg']);
    const missing = await fails(elb.send(new L.DescribeTargetGroupsCommand({ Names: ['nope'] })));
    expect([missing.name, missing.message]).to.deep.equal(['TargetGroupNotFoundException', 'One or more target groups not found']);
    await elb.send(new L.DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn! }));
    await elb.send(new L.DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn! })); // idempotent
    expect(t.app.store.list('TargetGroup').map((g) => g.metadata.name).sort()).to.deep.equal(['a-tg', 'b-tg']);
  });

  it('attributes: deregistration_delay.timeout_seconds is modelled; other keys and bad values are refused', async () => {
    const arn = (await elb.send(new L.CreateTargetGroupCommand(httpGroup))).TargetGroups![0].TargetGroupArn!;
    const before = await elb.send(new L.DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
    expect(before.Attributes!.find((a) => a.Key === 'deregistration_delay.timeout_seconds')!.Value).to.equal('300');
    const m = await elb.send(new L.ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }] }));
    expect(m.Attributes!.find((a) => a.Key === 'deregistration_delay.timeout_seconds')!.Value).to.equal('30');
    expect(t.app.store.get('TargetGroup', 'web-tg')!.spec.DeregistrationDelay).to.equal(30);
    const other = await fails(elb.send(new L.ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: 'stickiness.enabled', Value: 'true' }] })));
    expect(other.name).to.equal('ValidationError');
    const bad = await fails(elb.send(new L.ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '9999' }] })));
    expect(bad.name).to.equal('ValidationError');
    const nf = await fails(elb.send(new L.DescribeTargetGroupAttributesCommand({ TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/1' })));
    expect(nf.name).to.equal('TargetGroupNotFoundException');
    const name = await fails(elb.send(new L.CreateTargetGroupCommand({ ...httpGroup, Name: '-bad-' })));
    expect([name.name, name.$metadata.httpStatusCode]).to.deep.equal(['ValidationError', 400]);
    expect(name.message).to.include('Target group names can have a maximum of 32 alphanumeric characters');
  });

  it('target health follows a service behind the group on the virtual clock: initial → healthy → draining', async () => {
    const arn = (await elb.send(new L.CreateTargetGroupCommand(httpGroup))).TargetGroups![0].TargetGroupArn!;
    await elb.send(new L.ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }] }));
    await t.ecs.send(new E.CreateClusterCommand({ clusterName: 'prod' }));
    await t.ecs.send(new E.RegisterContainerInstanceCommand(instanceInput('prod')));
    await t.ecs.send(
      new E.RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx:1', cpu: 256, memory: 512, portMappings: [{ containerPort: 80, hostPort: 0 }] }] }),
    );
    await t.ecs.send(
      new E.CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web', desiredCount: 2, loadBalancers: [{ targetGroupArn: arn, containerName: 'app', containerPort: 80 }] }),
    );
    t.advance(10_000);
    const initial = await elb.send(new L.DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    expect(initial.TargetHealthDescriptions!.map((d) => [d.TargetHealth!.State, d.TargetHealth!.Reason])).to.deep.equal([
      ['initial', 'Elb.InitialHealthChecking'],
      ['initial', 'Elb.InitialHealthChecking'],
    ]);
    const d0 = initial.TargetHealthDescriptions![0];
    expect(d0.Target!.Id).to.match(/^i-/);
    expect(d0.HealthCheckPort).to.equal(String(d0.Target!.Port));
    t.advance(3 * 60_000);
    const healthy = await elb.send(new L.DescribeTargetHealthCommand({ TargetGroupArn: arn, Targets: [{ Id: d0.Target!.Id!, Port: d0.Target!.Port }] }));
    expect(healthy.TargetHealthDescriptions!.map((d) => d.TargetHealth!.State)).to.deep.equal(['healthy']);
    await t.ecs.send(new E.UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 0 }));
    t.advance(5_000);
    const draining = await elb.send(new L.DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    expect(draining.TargetHealthDescriptions!.map((d) => d.TargetHealth!.State)).to.deep.equal(['draining', 'draining']);
    t.advance(60_000);
    expect((await elb.send(new L.DescribeTargetHealthCommand({ TargetGroupArn: arn }))).TargetHealthDescriptions).to.deep.equal([]);
  });

  it('routing: DescribeTags exists in both Query services; the signing name picks ELBv2 (not served: InvalidAction)', async () => {
    const r = await queryPost(t.server.url, { Action: 'DescribeTargetGroups', Version: '2015-12-01' }, 'elasticloadbalancing');
    expect(r.body).to.include('<DescribeTargetGroupsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">');
    const tags = await queryPost(t.server.url, { Action: 'DescribeTags', Version: '2015-12-01' }, 'elasticloadbalancing');
    expect([tags.status, tags.body.includes('<Code>InvalidAction</Code>')]).to.deep.equal([400, true]);
    const wrongVersion = await queryPost(t.server.url, { Action: 'DescribeTargetGroups', Version: '2011-01-01' }, 'elasticloadbalancing');
    expect(wrongVersion.body).to.include('Could not find operation DescribeTargetGroups for version 2011-01-01');
  });
});
