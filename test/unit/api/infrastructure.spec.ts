/** Cluster, ContainerInstance, CapacityProvider, AutoScalingGroup and TargetGroup rules. */
import { errorsOf, expectError, expectValid, type Expected } from './helpers.js';

const IP = 'InvalidParameterException';
const VE = 'ValidationError';

type Good = [string, any, string?];
type Bad = [string, any, Expected, string?];

function table(kind: string, defaultName: string, good: Good[], bad: Bad[]): void {
  describe(kind, () => {
    for (const [name, spec, objName] of good) it(`valid: ${name}`, () => expectValid(kind, spec, objName ?? defaultName));
    for (const [name, spec, want, objName] of bad) {
      it(`invalid: ${name}`, () => void expectError(errorsOf(kind, spec, objName ?? defaultName), want));
    }
  });
}

table(
  'Cluster',
  'prod',
  [
    ['empty spec', {}],
    ['clusterName equal to metadata.name', { clusterName: 'prod' }],
    ['botocore-style name with underscore', { clusterName: 'my_cluster' }, 'my_cluster'],
    ['255-char name', {}, 'c'.repeat(255)],
    ['providers and default strategy', { capacityProviders: ['FARGATE', 'cp'], defaultCapacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1, base: 1 }] }],
    ['container insights', { settings: [{ name: 'containerInsights', value: 'enabled' }] }],
    ['tags', { tags: [{ key: 'team', value: 'web' }] }],
  ],
  [
    ['name with a dot', {}, { field: 'metadata.name', type: IP, message: /Invalid name 'prod.eu'/ }, 'prod.eu'],
    ['256-char name', {}, { field: 'metadata.name', type: IP }, 'c'.repeat(256)],
    ['clusterName differs', { clusterName: 'staging' }, { field: 'spec.clusterName', type: IP, message: "clusterName 'staging' must equal metadata.name 'prod'." }],
    ['strategy provider not associated', { capacityProviders: ['a'], defaultCapacityProviderStrategy: [{ capacityProvider: 'b', weight: 1 }] }, { field: 'spec.defaultCapacityProviderStrategy[0].capacityProvider', type: IP }],
    ['duplicate providers', { capacityProviders: ['a', 'a'] }, { field: 'spec.capacityProviders[1]', type: IP }],
    ['default strategy with two bases', { capacityProviders: ['a', 'b'], defaultCapacityProviderStrategy: [{ capacityProvider: 'a', base: 1, weight: 1 }, { capacityProvider: 'b', base: 2, weight: 1 }] }, { field: 'spec.defaultCapacityProviderStrategy[1].base', type: IP }],
    ['bad container insights value', { settings: [{ name: 'containerInsights', value: 'on' }] }, { field: 'spec.settings[0].value', type: IP }],
    ['unknown setting', { settings: [{ name: 'fastMode', value: 'on' }] }, { field: 'spec.settings[0].name', type: IP }],
    ['51 tags', { tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}` })) }, { field: 'spec.tags', type: IP, message: 'must NOT have more than 50 items' }],
  ],
);

const cpu = (n: number) => ({ name: 'CPU', type: 'INTEGER', integerValue: n });
const mem = (n: number) => ({ name: 'MEMORY', type: 'INTEGER', integerValue: n });
const attrs = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `custom${i}`, value: 'v' }));

table(
  'ContainerInstance',
  'i-1',
  [
    ['empty spec', {}],
    ['resources', { cluster: 'prod', totalResources: [cpu(2048), mem(7680), { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '2376'] }, { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: [] }] }],
    ['10 custom + built-in attributes', { attributes: [...attrs(10), { name: 'ecs.availability-zone', value: 'us-east-1a' }, { name: 'ecs.instance-type', value: 't3.large' }] }],
    ['attribute without value', { attributes: [{ name: 'gpu' }] }],
    ['version info', { versionInfo: { agentVersion: '1.80.0', dockerVersion: '24.0' } }],
  ],
  [
    ['11 custom attributes', { attributes: attrs(11) }, { field: 'spec.attributes', type: 'AttributeLimitExceededException' }],
    ['attribute name over 128', { attributes: [{ name: 'a'.repeat(129), value: 'v' }] }, { field: 'spec.attributes[0].name', type: IP }],
    ['attribute value over 128', { attributes: [{ name: 'a', value: 'v'.repeat(129) }] }, { field: 'spec.attributes[0].value', type: IP }],
    ['empty attribute value', { attributes: [{ name: 'a', value: '' }] }, { field: 'spec.attributes[0].value', type: IP }],
    ['attribute value with leading space', { attributes: [{ name: 'a', value: ' v' }] }, { field: 'spec.attributes[0].value', type: IP }],
    ['attribute name with a space', { attributes: [{ name: 'a b', value: 'v' }] }, { field: 'spec.attributes[0].name', type: IP }],
    ['duplicate attribute', { attributes: [{ name: 'a', value: '1' }, { name: 'a', value: '2' }] }, { field: 'spec.attributes[1].name', type: IP }],
    ['CPU zero', { totalResources: [cpu(0)] }, { field: 'spec.totalResources[0].integerValue', type: IP }],
    ['MEMORY negative', { totalResources: [mem(-5)] }, { field: 'spec.totalResources[0].integerValue', type: IP }],
    ['CPU without integerValue', { totalResources: [{ name: 'CPU', type: 'INTEGER', doubleValue: 1.5 }] }, { field: 'spec.totalResources[0].integerValue', type: IP }],
    ['CPU as STRINGSET', { totalResources: [{ name: 'CPU', type: 'STRINGSET', integerValue: 1 }] }, { field: 'spec.totalResources[0].type', type: IP }],
    ['unknown resource', { totalResources: [{ name: 'GPU', type: 'INTEGER', integerValue: 1 }] }, { field: 'spec.totalResources[0].name', type: IP }],
    ['duplicate resource', { totalResources: [cpu(1), cpu(2)] }, { field: 'spec.totalResources[1].name', type: IP }],
    ['bad port', { totalResources: [{ name: 'PORTS', type: 'STRINGSET', stringSetValue: ['http'] }] }, { field: 'spec.totalResources[0].stringSetValue[0]', type: IP }],
    ['101 reserved ports', { totalResources: [{ name: 'PORTS', type: 'STRINGSET', stringSetValue: Array.from({ length: 101 }, (_, i) => String(1000 + i)) }] }, { field: 'spec.totalResources[0].stringSetValue', type: IP }],
    ['bad cluster', { cluster: '' }, { field: 'spec.cluster', type: IP }],
  ],
);

const asgProvider = (o: Record<string, unknown> = {}) => ({ autoScalingGroupProvider: { autoScalingGroupArn: 'asg-1', ...o } });

table(
  'CapacityProvider',
  'cp-1',
  [
    ['ASG by name', asgProvider()],
    ['ASG ARN', asgProvider({ autoScalingGroupArn: 'arn:aws:autoscaling:us-east-1:1:autoScalingGroup:uuid:autoScalingGroupName/asg-1' })],
    ['managed scaling at bounds', asgProvider({ managedScaling: { status: 'ENABLED', targetCapacity: 1, minimumScalingStepSize: 1, maximumScalingStepSize: 10000, instanceWarmupPeriod: 10000 } })],
    ['termination protection with managed scaling', asgProvider({ managedScaling: { status: 'ENABLED' }, managedTerminationProtection: 'ENABLED' })],
    ['name containing fargate later', asgProvider(), 'my-fargate-cp'],
    ['managed draining disabled', asgProvider({ managedDraining: 'DISABLED' })],
  ],
  [
    ['name starting with aws', asgProvider(), { field: 'metadata.name', type: IP, message: /cannot be prefixed/ }, 'aws-cp'],
    ['name starting with ecs', asgProvider(), { field: 'metadata.name', type: IP }, 'ecs-cp'],
    ['name FARGATE', asgProvider(), { field: 'metadata.name', type: IP }, 'FARGATE'],
    ['name fargate-spot', asgProvider(), { field: 'metadata.name', type: IP }, 'fargate-spot'],
    ['name field differs', { ...asgProvider(), name: 'other' }, { field: 'spec.name', type: IP }],
    ['no provider', {}, { field: 'spec.autoScalingGroupProvider', type: IP }],
    ['targetCapacity 0', asgProvider({ managedScaling: { targetCapacity: 0 } }), { field: 'spec.autoScalingGroupProvider.managedScaling.targetCapacity', type: IP, message: 'must be >= 1' }],
    ['targetCapacity 101', asgProvider({ managedScaling: { targetCapacity: 101 } }), { field: 'spec.autoScalingGroupProvider.managedScaling.targetCapacity', type: IP, message: 'must be <= 100' }],
    ['minimumScalingStepSize 0', asgProvider({ managedScaling: { minimumScalingStepSize: 0 } }), { field: 'spec.autoScalingGroupProvider.managedScaling.minimumScalingStepSize', type: IP }],
    ['maximumScalingStepSize 10001', asgProvider({ managedScaling: { maximumScalingStepSize: 10001 } }), { field: 'spec.autoScalingGroupProvider.managedScaling.maximumScalingStepSize', type: IP }],
    ['instanceWarmupPeriod 10001', asgProvider({ managedScaling: { instanceWarmupPeriod: 10001 } }), { field: 'spec.autoScalingGroupProvider.managedScaling.instanceWarmupPeriod', type: IP }],
    ['min step above max step', asgProvider({ managedScaling: { minimumScalingStepSize: 10, maximumScalingStepSize: 5 } }), { field: 'spec.autoScalingGroupProvider.managedScaling.minimumScalingStepSize', type: IP }],
    ['termination protection without managed scaling', asgProvider({ managedTerminationProtection: 'ENABLED' }), { field: 'spec.autoScalingGroupProvider.managedTerminationProtection', type: IP }],
    ['termination protection with managed scaling disabled', asgProvider({ managedScaling: { status: 'DISABLED' }, managedTerminationProtection: 'ENABLED' }), { field: 'spec.autoScalingGroupProvider.managedTerminationProtection', type: IP }],
    ['ASG ARN of another service', asgProvider({ autoScalingGroupArn: 'arn:aws:ec2:us-east-1:1:instance/i-1' }), { field: 'spec.autoScalingGroupProvider.autoScalingGroupArn', type: IP }],
    ['ASG ARN missing', { autoScalingGroupProvider: {} }, { field: 'spec.autoScalingGroupProvider.autoScalingGroupArn', type: IP, message: 'Missing required parameter "autoScalingGroupArn"' }],
  ],
);

const asg = (o: Record<string, unknown> = {}) => ({ MinSize: 1, MaxSize: 4, AvailabilityZones: ['us-east-1a', 'us-east-1b'], ...o });

table(
  'AutoScalingGroup',
  'asg-1',
  [
    ['min = desired = max', asg({ MinSize: 2, MaxSize: 2, DesiredCapacity: 2 })],
    ['zero-sized', asg({ MinSize: 0, MaxSize: 0 })],
    ['InstanceType and protection', asg({ InstanceType: 't3.large', NewInstancesProtectedFromScaleIn: true, DefaultCooldown: 60 })],
    ['AutoScalingGroupName equal', asg({ AutoScalingGroupName: 'asg-1' })],
    ['tags', asg({ Tags: [{ Key: 'AmazonECSManaged', Value: '', PropagateAtLaunch: true }] })],
  ],
  [
    ['MinSize above MaxSize', asg({ MinSize: 5, MaxSize: 4 }), { field: 'spec.MaxSize', type: VE, message: 'Max bound, 4, must be greater than or equal to min bound, 5' }],
    ['DesiredCapacity above MaxSize', asg({ DesiredCapacity: 5 }), { field: 'spec.DesiredCapacity', type: VE, message: 'Desired capacity:5 must be between the specified min size:1 and max size:4' }],
    ['DesiredCapacity below MinSize', asg({ MinSize: 2, DesiredCapacity: 1 }), { field: 'spec.DesiredCapacity', type: VE }],
    ['no AvailabilityZones', asg({ AvailabilityZones: undefined }), { field: 'spec.AvailabilityZones', type: VE, message: 'At least one Availability Zone or VPC Subnet is required.' }],
    ['empty AvailabilityZones', asg({ AvailabilityZones: [] }), { field: 'spec.AvailabilityZones', type: VE }],
    ['subnets only', asg({ AvailabilityZones: undefined, VPCZoneIdentifier: 'subnet-1' }), { field: 'spec.AvailabilityZones', type: VE, message: /does not simulate subnets/ }],
    ['MinSize missing', { MaxSize: 1, AvailabilityZones: ['a'] }, { field: 'spec.MinSize', type: VE, message: 'Missing required parameter "MinSize"' }],
    ['negative MaxSize', asg({ MinSize: 0, MaxSize: -1 }), { field: 'spec.MaxSize', type: VE }],
    ['unknown instance type', asg({ InstanceType: 'z9.huge' }), { field: 'spec.InstanceType', type: VE }],
    ['camelCase field', asg({ minSize: 1 }), { field: 'spec.minSize', type: VE, message: 'Unknown parameter "minSize"' }],
    ['name differs', asg({ AutoScalingGroupName: 'other' }), { field: 'spec.AutoScalingGroupName', type: VE }],
  ],
);

table(
  'TargetGroup',
  'web-tg',
  [
    ['HTTP', { Protocol: 'HTTP', Port: 80, VpcId: 'vpc-1', TargetType: 'ip' }],
    ['health check and delay', { Protocol: 'HTTP', Port: 80, HealthCheckPath: '/health', HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 5, DeregistrationDelay: 0 }],
    ['TCP', { Protocol: 'TCP', Port: 443, DeregistrationDelay: 3600 }],
    ['lambda without port', { TargetType: 'lambda' }],
    ['Name equal', { Name: 'web-tg', Protocol: 'HTTP', Port: 80 }],
  ],
  [
    ['DeregistrationDelay above 3600', { Protocol: 'HTTP', Port: 80, DeregistrationDelay: 3601 }, { field: 'spec.DeregistrationDelay', type: VE, message: 'must be <= 3600' }],
    ['DeregistrationDelay negative', { Protocol: 'HTTP', Port: 80, DeregistrationDelay: -1 }, { field: 'spec.DeregistrationDelay', type: VE }],
    ['no protocol', { Port: 80 }, { field: 'spec.Protocol', type: VE }],
    ['no port', { Protocol: 'HTTP' }, { field: 'spec.Port', type: VE }],
    ['timeout not below interval', { Protocol: 'HTTP', Port: 80, HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 10 }, { field: 'spec.HealthCheckTimeoutSeconds', type: VE }],
    ['interval below 5', { Protocol: 'HTTP', Port: 80, HealthCheckIntervalSeconds: 4 }, { field: 'spec.HealthCheckIntervalSeconds', type: VE }],
    ['path without slash', { Protocol: 'HTTP', Port: 80, HealthCheckPath: 'health' }, { field: 'spec.HealthCheckPath', type: VE }],
    ['path with TCP checks', { Protocol: 'TCP', Port: 80, HealthCheckPath: '/' }, { field: 'spec.HealthCheckPath', type: VE }],
    ['bad health check port', { Protocol: 'HTTP', Port: 80, HealthCheckPort: '70000' }, { field: 'spec.HealthCheckPort', type: VE }],
    ['name with underscore', { Protocol: 'HTTP', Port: 80 }, { field: 'metadata.name', type: VE }, 'web_tg'],
    ['name over 32 chars', { Protocol: 'HTTP', Port: 80 }, { field: 'metadata.name', type: VE }, 't'.repeat(33)],
    ['name ending with hyphen', { Protocol: 'HTTP', Port: 80 }, { field: 'metadata.name', type: VE }, 'web-'],
    ['bad target type', { Protocol: 'HTTP', Port: 80, TargetType: 'pod' }, { field: 'spec.TargetType', type: VE }],
  ],
);
