import { errorsOf, expectError, expectValid, fixture, type Expected } from './helpers.js';

const IP = 'InvalidParameterException';
const C = 'ClientException';

const svc = (o: Record<string, unknown> = {}) => ({ cluster: 'prod', taskDefinition: 'web-app', desiredCount: 2, ...o });
const task = (o: Record<string, unknown> = {}) => ({ cluster: 'prod', taskDefinition: 'web-app:1', ...o });
const awsvpc = { awsvpcConfiguration: { subnets: ['subnet-1'] } };
const lb = (o: Record<string, unknown> = {}) => ({ targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/abc', containerName: 'app', containerPort: 80, ...o });

describe('Service validation', () => {
  it('AWS CLI create-service example (network configuration + load balancer) validates', () =>
    expectValid('Service', fixture('aws-cli-create-service.json'), 'web-app'));

  const good: [string, any][] = [
    ['minimal', svc()],
    ['no cluster (default)', svc({ cluster: undefined })],
    ['cluster ARN', svc({ cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod' })],
    ['task definition with revision', svc({ taskDefinition: 'web-app:12' })],
    ['task definition ARN', svc({ taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web-app:3' })],
    ['capacity provider strategy', svc({ capacityProviderStrategy: [{ capacityProvider: 'FARGATE', base: 2, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 3 }] })],
    ['ASG providers', svc({ capacityProviderStrategy: [{ capacityProvider: 'cp-a', weight: 1 }, { capacityProvider: 'cp-b', weight: 1, base: 0 }] })],
    ['DAEMON without desiredCount', svc({ desiredCount: undefined, schedulingStrategy: 'DAEMON', launchType: 'EC2' })],
    ['DAEMON with maximumPercent 100', svc({ schedulingStrategy: 'DAEMON', deploymentConfiguration: { maximumPercent: 100, minimumHealthyPercent: 0 } })],
    ['desiredCount 0', svc({ desiredCount: 0 })],
    ['deployment percentages at bounds', svc({ deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 100 } })],
    ['circuit breaker', svc({ deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } })],
    ['5 load balancers', svc({ loadBalancers: [1, 2, 3, 4, 5].map((p) => lb({ containerPort: p })) })],
    ['target group by name', svc({ loadBalancers: [lb({ targetGroupArn: 'web-tg' })] })],
    ['classic ELB on EC2', svc({ loadBalancers: [{ loadBalancerName: 'my-elb', containerName: 'app', containerPort: 80 }], role: 'ecsServiceRole' })],
    ['placement constraints and strategies', svc({
      placementConstraints: [{ type: 'distinctInstance' }, { type: 'memberOf', expression: 'attribute:ecs.availability-zone in [us-east-1a]' }],
      placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'spread', field: 'instanceId' }, { type: 'binpack', field: 'memory' }, { type: 'random' }],
    })],
    ['10 placement constraints', svc({ placementConstraints: Array.from({ length: 10 }, () => ({ type: 'distinctInstance' })) })],
    ['healthCheckGracePeriodSeconds max', svc({ healthCheckGracePeriodSeconds: 2147483647 })],
    ['forceNewDeployment', svc({ forceNewDeployment: true })],
    ['EXTERNAL controller without a task definition', { desiredCount: 1, deploymentController: { type: 'EXTERNAL' } }],
  ];
  for (const [name, spec] of good) it(`valid: ${name}`, () => expectValid('Service', spec, 'web'));

  const bad: [string, any, Expected][] = [
    [
      'launchType and capacityProviderStrategy',
      svc({ launchType: 'EC2', capacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }] }),
      { field: 'spec.launchType', type: IP, message: 'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.' },
    ],
    ['two bases', svc({ capacityProviderStrategy: [{ capacityProvider: 'a', base: 1, weight: 1 }, { capacityProvider: 'b', base: 1, weight: 1 }] }), { field: 'spec.capacityProviderStrategy[1].base', type: IP }],
    ['base above 100000', svc({ capacityProviderStrategy: [{ capacityProvider: 'a', base: 100001, weight: 1 }] }), { field: 'spec.capacityProviderStrategy[0].base', type: IP, message: 'must be <= 100000' }],
    ['weight above 1000', svc({ capacityProviderStrategy: [{ capacityProvider: 'a', weight: 1001 }] }), { field: 'spec.capacityProviderStrategy[0].weight', type: IP, message: 'must be <= 1000' }],
    ['negative weight', svc({ capacityProviderStrategy: [{ capacityProvider: 'a', weight: -1 }] }), { field: 'spec.capacityProviderStrategy[0].weight', type: IP }],
    ['all weights 0', svc({ capacityProviderStrategy: [{ capacityProvider: 'a', base: 1 }, { capacityProvider: 'b', weight: 0 }] }), { field: 'spec.capacityProviderStrategy', type: IP, message: /weight greater than 0/ }],
    ['21 strategy items', svc({ capacityProviderStrategy: Array.from({ length: 21 }, (_, i) => ({ capacityProvider: `cp${i}`, weight: 1 })) }), { field: 'spec.capacityProviderStrategy', type: IP, message: 'must NOT have more than 20 items' }],
    ['duplicate provider', svc({ capacityProviderStrategy: [{ capacityProvider: 'a', weight: 1 }, { capacityProvider: 'a', weight: 1 }] }), { field: 'spec.capacityProviderStrategy[1].capacityProvider', type: IP }],
    ['Fargate mixed with ASG provider', svc({ capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }, { capacityProvider: 'cp', weight: 1 }] }), { field: 'spec.capacityProviderStrategy', type: IP, message: /cannot contain a mix/ }],
    ['strategy item without provider', svc({ capacityProviderStrategy: [{ weight: 1 }] }), { field: 'spec.capacityProviderStrategy[0].capacityProvider', type: IP }],
    ['minimumHealthyPercent above 100', svc({ deploymentConfiguration: { minimumHealthyPercent: 101 } }), { field: 'spec.deploymentConfiguration.minimumHealthyPercent', type: IP, message: 'must be <= 100' }],
    ['minimumHealthyPercent negative', svc({ deploymentConfiguration: { minimumHealthyPercent: -1 } }), { field: 'spec.deploymentConfiguration.minimumHealthyPercent', type: IP }],
    ['REPLICA maximumPercent below 100', svc({ deploymentConfiguration: { maximumPercent: 99 } }), { field: 'spec.deploymentConfiguration.maximumPercent', type: IP }],
    ['DAEMON maximumPercent 200', svc({ schedulingStrategy: 'DAEMON', deploymentConfiguration: { maximumPercent: 200 } }), { field: 'spec.deploymentConfiguration.maximumPercent', type: IP, message: /must be 100/ }],
    ['DAEMON on Fargate', svc({ schedulingStrategy: 'DAEMON', launchType: 'FARGATE' }), { field: 'spec.schedulingStrategy', type: IP, message: /not supported with Fargate/ }],
    ['DAEMON with a Fargate strategy', svc({ schedulingStrategy: 'DAEMON', capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] }), { field: 'spec.schedulingStrategy', type: IP }],
    ['DAEMON with CODE_DEPLOY', svc({ schedulingStrategy: 'DAEMON', deploymentController: { type: 'CODE_DEPLOY' } }), { field: 'spec.schedulingStrategy', type: IP, message: /CODE_DEPLOY/ }],
    ['DAEMON with EXTERNAL', svc({ schedulingStrategy: 'DAEMON', deploymentController: { type: 'EXTERNAL' } }), { field: 'spec.schedulingStrategy', type: IP, message: /EXTERNAL/ }],
    ['DAEMON with a placement strategy', svc({ schedulingStrategy: 'DAEMON', placementStrategy: [{ type: 'random' }] }), { field: 'spec.placementStrategy', type: IP }],
    ['REPLICA without desiredCount', svc({ desiredCount: undefined }), { field: 'spec.desiredCount', type: IP }],
    ['negative desiredCount', svc({ desiredCount: -1 }), { field: 'spec.desiredCount', type: IP, message: 'must be >= 0' }],
    ['circuit breaker with CODE_DEPLOY', svc({ deploymentController: { type: 'CODE_DEPLOY' }, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } } }), { field: 'spec.deploymentConfiguration.deploymentCircuitBreaker', type: IP }],
    ['circuit breaker without rollback', svc({ deploymentConfiguration: { deploymentCircuitBreaker: { enable: true } } }), { field: 'spec.deploymentConfiguration.deploymentCircuitBreaker.rollback', type: IP, message: 'Missing required parameter "rollback"' }],
    ['6 load balancers', svc({ loadBalancers: [1, 2, 3, 4, 5, 6].map((p) => lb({ containerPort: p })) }), { field: 'spec.loadBalancers', type: IP, message: 'must NOT have more than 5 items' }],
    ['load balancer without containerName', svc({ loadBalancers: [lb({ containerName: undefined })] }), { field: 'spec.loadBalancers[0].containerName', type: IP }],
    ['load balancer without containerPort', svc({ loadBalancers: [lb({ containerPort: undefined })] }), { field: 'spec.loadBalancers[0].containerPort', type: IP }],
    ['load balancer with both target group and ELB', svc({ loadBalancers: [lb({ loadBalancerName: 'elb' })] }), { field: 'spec.loadBalancers[0]', type: IP }],
    ['load balancer with a non-target-group ARN', svc({ loadBalancers: [lb({ targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/y' })] }), { field: 'spec.loadBalancers[0].targetGroupArn', type: IP }],
    ['11 placement constraints', svc({ placementConstraints: Array.from({ length: 11 }, () => ({ type: 'distinctInstance' })) }), { field: 'spec.placementConstraints', type: IP, message: 'must NOT have more than 10 items' }],
    ['6 placement strategies', svc({ placementStrategy: Array.from({ length: 6 }, () => ({ type: 'random' })) }), { field: 'spec.placementStrategy', type: IP, message: 'must NOT have more than 5 items' }],
    ['distinctInstance with an expression', svc({ placementConstraints: [{ type: 'distinctInstance', expression: 'x' }] }), { field: 'spec.placementConstraints[0].expression', type: IP }],
    ['memberOf without expression', svc({ placementConstraints: [{ type: 'memberOf' }] }), { field: 'spec.placementConstraints[0].expression', type: IP }],
    ['expression over 2000 chars', svc({ placementConstraints: [{ type: 'memberOf', expression: 'x'.repeat(2001) }] }), { field: 'spec.placementConstraints[0].expression', type: IP }],
    ['binpack on disk', svc({ placementStrategy: [{ type: 'binpack', field: 'disk' }] }), { field: 'spec.placementStrategy[0].field', type: IP }],
    ['spread without field', svc({ placementStrategy: [{ type: 'spread' }] }), { field: 'spec.placementStrategy[0].field', type: IP }],
    ['spread on a bare attribute name', svc({ placementStrategy: [{ type: 'spread', field: 'ecs.availability-zone' }] }), { field: 'spec.placementStrategy[0].field', type: IP }],
    ['unknown strategy type', svc({ placementStrategy: [{ type: 'pack' }] }), { field: 'spec.placementStrategy[0].type', type: IP, message: 'must be one of: random, spread, binpack' }],
    ['placement on Fargate', svc({ launchType: 'FARGATE', placementStrategy: [{ type: 'random' }] }), { field: 'spec.placementStrategy', type: IP }],
    ['healthCheckGracePeriodSeconds negative', svc({ healthCheckGracePeriodSeconds: -1 }), { field: 'spec.healthCheckGracePeriodSeconds', type: IP }],
    ['empty subnets', svc({ networkConfiguration: { awsvpcConfiguration: { subnets: [] } } }), { field: 'spec.networkConfiguration.awsvpcConfiguration.subnets', type: IP }],
    ['subnets missing', svc({ networkConfiguration: { awsvpcConfiguration: { securityGroups: ['sg'] } } }), { field: 'spec.networkConfiguration.awsvpcConfiguration.subnets', type: IP }],
    ['6 security groups', svc({ networkConfiguration: { awsvpcConfiguration: { subnets: ['s'], securityGroups: ['1', '2', '3', '4', '5', '6'] } } }), { field: 'spec.networkConfiguration.awsvpcConfiguration.securityGroups', type: IP }],
    ['bad cluster name', svc({ cluster: 'prod cluster' }), { field: 'spec.cluster', type: IP }],
    ['bad cluster ARN', svc({ cluster: 'arn:aws:ecs:us-east-1:1:service/prod' }), { field: 'spec.cluster', type: IP }],
    ['task definition missing', svc({ taskDefinition: undefined }), { field: 'spec.taskDefinition', type: IP }],
    ['task definition bad revision', svc({ taskDefinition: 'web-app:foo' }), { field: 'spec.taskDefinition', type: C, message: 'Invalid revision number. Number: foo' }],
    ['task definition ARN without revision', svc({ taskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/web-app' }), { field: 'spec.taskDefinition', type: C, message: 'Revision is missing.' }],
    ['serviceName differs', svc({ serviceName: 'other' }), { field: 'spec.serviceName', type: IP, message: /must equal metadata.name/ }],
    ['unknown launch type', svc({ launchType: 'LAMBDA' }), { field: 'spec.launchType', type: IP }],
    ['unknown field', svc({ replicas: 3 }), { field: 'spec.replicas', type: IP, message: 'Unknown parameter "replicas"' }],
    ['forceNewDeployment not a boolean', svc({ forceNewDeployment: 'yes' }), { field: 'spec.forceNewDeployment', type: IP, message: 'must be boolean' }],
  ];
  for (const [name, spec, want] of bad) it(`invalid: ${name}`, () => void expectError(errorsOf('Service', spec, 'web'), want));
});

describe('Task (RunTask) validation', () => {
  const good: [string, any][] = [
    ['minimal', task()],
    ['count 10', task({ count: 10 })],
    ['Fargate with networking', task({ launchType: 'FARGATE', networkConfiguration: awsvpc })],
    ['strategy', task({ capacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }] })],
    ['group and startedBy', task({ group: 'family:web-app', startedBy: 'x'.repeat(128) })],
    ['overrides', task({ overrides: { cpu: '1 vCPU', memory: '2 GB', taskRoleArn: 'role', containerOverrides: [{ name: 'app', command: ['sh'] }] } })],
    ['placement', task({ placementConstraints: [{ type: 'distinctInstance' }], placementStrategy: [{ type: 'binpack', field: 'cpu' }] })],
  ];
  for (const [name, spec] of good) it(`valid: ${name}`, () => expectValid('Task', spec, 't1'));

  const bad: [string, any, Expected][] = [
    ['count 0', task({ count: 0 }), { field: 'spec.count', type: IP, message: 'must be >= 1' }],
    ['count 11', task({ count: 11 }), { field: 'spec.count', type: IP, message: 'must be <= 10' }],
    ['launchType and strategy', task({ launchType: 'EC2', capacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }] }), { field: 'spec.launchType', type: IP }],
    ['strategy all weights 0', task({ capacityProviderStrategy: [{ capacityProvider: 'cp' }] }), { field: 'spec.capacityProviderStrategy', type: IP }],
    ['taskDefinition missing', { cluster: 'prod' }, { field: 'spec.taskDefinition', type: IP, message: 'Missing required parameter "taskDefinition"' }],
    ['taskDefinition bad revision', task({ taskDefinition: 'web:0' }), { field: 'spec.taskDefinition', type: C, message: 'Invalid revision number. Number: 0' }],
    ['group over 255', task({ group: 'g'.repeat(256) }), { field: 'spec.group', type: IP }],
    ['startedBy over 128', task({ startedBy: 's'.repeat(129) }), { field: 'spec.startedBy', type: IP }],
    ['bad overrides cpu', task({ overrides: { cpu: 'many' } }), { field: 'spec.overrides.cpu', type: IP }],
    ['duplicate container overrides', task({ overrides: { containerOverrides: [{ name: 'a' }, { name: 'a' }] } }), { field: 'spec.overrides.containerOverrides[1].name', type: IP }],
    ['spread on nothing', task({ placementStrategy: [{ type: 'spread', field: 'zone' }] }), { field: 'spec.placementStrategy[0].field', type: IP }],
    ['placement on Fargate', task({ launchType: 'FARGATE', placementConstraints: [{ type: 'distinctInstance' }] }), { field: 'spec.placementConstraints', type: IP }],
    ['bad name', task(), { field: 'metadata.name', type: IP }],
  ];
  for (const [name, spec, want] of bad) {
    it(`invalid: ${name}`, () => void expectError(errorsOf('Task', spec, name === 'bad name' ? 'bad/name' : 't1'), want));
  }
});
