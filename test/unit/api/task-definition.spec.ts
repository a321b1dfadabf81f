import { expect } from 'chai';
import { containers, ec2Td, errorsOf, expectError, expectValid, fargateTd, fixture, type Expected } from './helpers.js';
import { FARGATE_SIZES, parseCpu, parseMemory } from '../../../api/v1alpha1/task-size.js';

const C = 'ClientException';
const TD = 'TaskDefinition';
const cd = (i: number, rest = '') => `spec.containerDefinitions[${i}]${rest}`;

describe('TaskDefinition validation', () => {
  describe('seed 002 (verbatim)', () => {
    it('validates', () => expectValid(TD, fixture('seed-002-task-definition.json'), 'web-app'));
  });

  describe('valid specs', () => {
    const good: [string, any][] = [
      ['minimal EC2 with container memory', ec2Td()],
      ['EC2 with memoryReservation only', ec2Td({ containerDefinitions: containers({ memory: undefined, memoryReservation: 64 }) })],
      ['EC2 with task memory and no container memory', ec2Td({ memory: '512', containerDefinitions: containers({ memory: undefined }) })],
      ['EC2 task cpu at the lower bound', ec2Td({ cpu: '128' })],
      ['EC2 task cpu at the upper bound', ec2Td({ cpu: '196608' })],
      ['"1 vCPU" / "2 GB" forms', fargateTd({ cpu: '1 vCPU', memory: '2 GB' })],
      ['".25 vCPU" / "0.5GB" forms', fargateTd({ cpu: '.25 vCPU', memory: '0.5GB' })],
      ['every Fargate row', fargateTd({ cpu: '16384', memory: '122880' })],
      ['FARGATE + EC2 with a table size', fargateTd({ requiresCompatibilities: ['EC2', 'FARGATE'], cpu: '1024', memory: '8192' })],
      ['memory > memoryReservation', ec2Td({ containerDefinitions: containers({ memory: 256, memoryReservation: 128 }) })],
      [
        'one essential + non-essential helper with COMPLETE',
        ec2Td({
          containerDefinitions: containers(
            { name: 'init', essential: false },
            { name: 'app', dependsOn: [{ containerName: 'init', condition: 'COMPLETE' }] },
          ),
        }),
      ],
      [
        'HEALTHY dependency on a container with a healthCheck',
        ec2Td({
          containerDefinitions: containers(
            { name: 'db', healthCheck: { command: ['CMD', 'pg_isready'] } },
            { name: 'app', dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] },
          ),
        }),
      ],
      ['healthCheck at all range bounds (low)', ec2Td({ containerDefinitions: containers({ healthCheck: { command: ['CMD-SHELL', 'true'], interval: 5, timeout: 2, retries: 1, startPeriod: 0 } }) })],
      ['healthCheck at all range bounds (high)', ec2Td({ containerDefinitions: containers({ healthCheck: { command: ['CMD-SHELL', 'true'], interval: 300, timeout: 60, retries: 10, startPeriod: 300 } }) })],
      ['host mode with equal ports', ec2Td({ networkMode: 'host', containerDefinitions: containers({ portMappings: [{ containerPort: 80, hostPort: 80 }] }) })],
      ['bridge mode with a different host port', ec2Td({ containerDefinitions: containers({ portMappings: [{ containerPort: 80, hostPort: 8080 }] }) })],
      ['none mode without port mappings', ec2Td({ networkMode: 'none', containerDefinitions: containers({}) })],
      ['containerPortRange', ec2Td({ networkMode: 'awsvpc', containerDefinitions: containers({ portMappings: [{ containerPortRange: '8000-8010' }] }) })],
      ['memberOf TD constraint', ec2Td({ placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t3.*' }] })],
      [
        'EFS with IAM and encryption',
        ec2Td({
          volumes: [{ name: 'data', efsVolumeConfiguration: { fileSystemId: 'fs-1', transitEncryption: 'ENABLED', authorizationConfig: { iam: 'ENABLED', accessPointId: 'fsap-1' } } }],
          containerDefinitions: containers({ mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }] }),
        }),
      ],
      ['task role as a bare name', ec2Td({ taskRoleArn: 'myRole' })],
      ['full role ARNs', ec2Td({ taskRoleArn: 'arn:aws:iam::123456789012:role/app', executionRoleArn: 'arn:aws-cn:iam::123456789012:role/path/exec' })],
      ['empty taskRoleArn (CLI skeleton)', ec2Td({ taskRoleArn: '' })],
      ['10 containers', ec2Td({ containerDefinitions: containers(...Array.from({ length: 10 }, () => ({}))) })],
      ['family omitted (metadata.name is the family)', ec2Td({ family: undefined })],
    ];
    for (const [name, spec] of good) it(name, () => expectValid(TD, spec, 'web'));
  });

  describe('invalid specs', () => {
    const bad: [string, any, Expected][] = [
      ['Fargate cpu not in the table', fargateTd({ cpu: '300' }), { field: 'spec.cpu', type: C, message: "Invalid 'cpu' setting for task." }],
      ['Fargate memory not allowed for the cpu', fargateTd({ cpu: '256', memory: '4096' }), { field: 'spec.memory', type: C, message: /^No Fargate configuration exists for given values: 256 CPU, 4096 memory/ }],
      ['Fargate 8192 memory step is 4096', fargateTd({ cpu: '8192', memory: '17408' }), { field: 'spec.memory', type: C, message: /No Fargate configuration/ }],
      ['Fargate with EC2 still uses the table', fargateTd({ requiresCompatibilities: ['EC2', 'FARGATE'], cpu: '128' }), { field: 'spec.cpu', type: C, message: "Invalid 'cpu' setting for task." }],
      ['Fargate without cpu', fargateTd({ cpu: undefined }), { field: 'spec.cpu', type: C, message: "Fargate requires that 'cpu' be defined at the task level." }],
      ['Fargate without memory', fargateTd({ memory: undefined }), { field: 'spec.memory', type: C, message: "Fargate requires that 'memory' be defined at the task level." }],
      ['Fargate in bridge mode', fargateTd({ networkMode: 'bridge' }), { field: 'spec.networkMode', type: C, message: "Fargate only supports network mode 'awsvpc'." }],
      ['Fargate with default network mode', fargateTd({ networkMode: undefined }), { field: 'spec.networkMode', type: C }],
      ['Fargate Windows 256 cpu', fargateTd({ runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } }), { field: 'spec.cpu', type: C, message: "Invalid 'cpu' setting for task." }],
      [
        'Fargate awslogs without execution role',
        fargateTd({ containerDefinitions: [{ name: 'a', image: 'x', logConfiguration: { logDriver: 'awslogs' } }] }),
        { field: 'spec.executionRoleArn', type: C, message: 'Fargate requires task definition to have execution role ARN to support log driver awslogs.' },
      ],
      ['Fargate stopTimeout > 120', fargateTd({ containerDefinitions: [{ name: 'a', image: 'x', stopTimeout: 121 }] }), { field: cd(0, '.stopTimeout'), type: C }],
      ['unparsable cpu', ec2Td({ cpu: 'lots' }), { field: 'spec.cpu', type: C, message: "Invalid 'cpu' setting for task." }],
      ['unparsable memory', ec2Td({ memory: '1 TB' }), { field: 'spec.memory', type: C, message: "Invalid 'memory' setting for task." }],
      ['EC2 cpu below 128', ec2Td({ cpu: '127' }), { field: 'spec.cpu', type: C, message: "Invalid 'cpu' setting for task." }],
      ['EC2 cpu above 196608', ec2Td({ cpu: '196609' }), { field: 'spec.cpu', type: C, message: "Invalid 'cpu' setting for task." }],
      ['container cpu sum above task cpu', ec2Td({ cpu: '256', containerDefinitions: containers({ cpu: 200 }, { cpu: 100 }) }), { field: 'spec.cpu', type: C, message: /sum of the container cpu values \(300\) exceeds the task cpu \(256\)/ }],
      ['container memory sum above task memory', ec2Td({ memory: '512', containerDefinitions: containers({ memory: 300 }, { memoryReservation: 300, memory: undefined }) }), { field: 'spec.memory', type: C, message: /sum of the container memory values \(600 MiB\)/ }],
      ['container memory above task memory', ec2Td({ memory: '512', containerDefinitions: containers({ memory: 1024 }) }), { field: cd(0, '.memory'), type: C }],
      ['11 containers', ec2Td({ containerDefinitions: containers(...Array.from({ length: 11 }, () => ({}))) }), { field: 'spec.containerDefinitions', type: C, message: 'must NOT have more than 10 items' }],
      ['no containers', ec2Td({ containerDefinitions: [] }), { field: 'spec.containerDefinitions', type: C }],
      ['containerDefinitions missing', { family: 'web' }, { field: 'spec.containerDefinitions', type: C, message: 'Missing required parameter "containerDefinitions"' }],
      ['no essential container', ec2Td({ containerDefinitions: containers({ essential: false }) }), { field: 'spec.containerDefinitions', type: C, message: 'Task definition must have at least one essential container.' }],
      ['image missing', ec2Td({ containerDefinitions: [{ name: 'a', memory: 64 }] }), { field: cd(0, '.image'), type: C, message: 'Container.image should not be null or empty.' }],
      ['image empty', ec2Td({ containerDefinitions: [{ name: 'a', image: '', memory: 64 }] }), { field: cd(0, '.image'), type: C, message: 'Container.image should not be null or empty.' }],
      ['container name missing', ec2Td({ containerDefinitions: [{ image: 'x', memory: 64 }] }), { field: cd(0, '.name'), type: C, message: 'Container.name should not be null or empty.' }],
      ['container name invalid', ec2Td({ containerDefinitions: containers({ name: 'a b' }) }), { field: cd(0, '.name'), type: C, message: /Invalid container name 'a b'/ }],
      ['duplicate container names', ec2Td({ containerDefinitions: containers({ name: 'a' }, { name: 'a' }) }), { field: cd(1, '.name'), type: C }],
      [
        'no memory anywhere on EC2',
        ec2Td({ containerDefinitions: [{ name: 'web', image: 'x' }] }),
        { field: cd(0, '.memory'), type: C, message: "Invalid setting for container 'web'. At least one of 'memory' or 'memoryReservation' must be specified." },
      ],
      ['memory equal to memoryReservation', ec2Td({ containerDefinitions: containers({ memory: 128, memoryReservation: 128 }) }), { field: cd(0, '.memoryReservation'), type: C }],
      ['memory below memoryReservation', ec2Td({ containerDefinitions: containers({}, { memory: 128, memoryReservation: 256 }) }), { field: cd(1, '.memoryReservation'), type: C, message: /'memory' must be greater than 'memoryReservation'/ }],
      ['healthCheck interval < 5', ec2Td({ containerDefinitions: containers({ healthCheck: { command: ['CMD', 'x'], interval: 4 } }) }), { field: cd(0, '.healthCheck.interval'), type: C, message: 'must be >= 5' }],
      ['healthCheck interval > 300', ec2Td({ containerDefinitions: containers({ healthCheck: { command: ['CMD', 'x'], interval: 301 } }) }), { field: cd(0, '.healthCheck.interval'), type: C, message: 'must be <= 300' }],
      ['healthCheck timeout < 2', ec2Td({ containerDefinitions: containers({ healthCheck: { command: ['CMD', 'x'], timeout: 1 } }) }), { field: cd(0, '.healthCheck.timeout'), type: C }],
      ['healthCheck timeout > 60', ec2Td({ containerDefinitions: containers({ healthCheck: { command: ['CMD', 'x'], timeout: 61 } }) }), { field: cd(0, '.healthCheck.timeout'), type: C }],
      ['healthCheck retries 0', ec2Td({ containerDefinitions: containers({ healthCheck: { command: ['CMD', 'x'], retries: 0 } }) }), { field: cd(0, '.healthCheck.retries'), type: C }],
      ['healthCheck retries 11', ec2Td({ containerDefinitions: containers({ healthCheck: { command: ['CMD', 'x'], retries: 11 } }) }), { field: cd(0, '.healthCheck.retries'), type: C }],
      ['healthCheck startPeriod 301', ec2Td({ containerDefinitions: containers({ healthCheck: { command: ['CMD', 'x'], startPeriod: 301 } }) }), { field: cd(0, '.healthCheck.startPeriod'), type: C }],
      ['healthCheck command without CMD', ec2Td({ containerDefinitions: containers({ healthCheck: { command: ['curl', 'x'] } }) }), { field: cd(0, '.healthCheck.command'), type: C, message: /must start with 'CMD' or 'CMD-SHELL'/ }],
      ['healthCheck command only CMD-SHELL', ec2Td({ containerDefinitions: containers({ healthCheck: { command: ['CMD-SHELL'] } }) }), { field: cd(0, '.healthCheck.command'), type: C }],
      ['healthCheck without command', ec2Td({ containerDefinitions: containers({ healthCheck: { interval: 10 } }) }), { field: cd(0, '.healthCheck.command'), type: C, message: 'Missing required parameter "command"' }],
      ['none mode with port mappings', ec2Td({ networkMode: 'none' }), { field: cd(0, '.portMappings'), type: C, message: 'Port mappings are not supported when networkMode=none.' }],
      [
        'awsvpc host port differs',
        ec2Td({ networkMode: 'awsvpc', containerDefinitions: containers({ portMappings: [{ containerPort: 80, hostPort: 8080 }] }) }),
        { field: cd(0, '.portMappings[0].hostPort'), type: C, message: 'When networkMode=awsvpc, the host ports and container ports in port mappings must match.' },
      ],
      ['host host port differs', ec2Td({ networkMode: 'host', containerDefinitions: containers({ portMappings: [{ containerPort: 80, hostPort: 81 }] }) }), { field: cd(0, '.portMappings[0].hostPort'), type: C }],
      ['port mapping without a port', ec2Td({ containerDefinitions: containers({ portMappings: [{ protocol: 'tcp' }] }) }), { field: cd(0, '.portMappings[0].containerPort'), type: C }],
      ['bad containerPortRange', ec2Td({ containerDefinitions: containers({ portMappings: [{ containerPortRange: '90-80' }] }) }), { field: cd(0, '.portMappings[0].containerPortRange'), type: C }],
      ['containerPort out of range', ec2Td({ containerDefinitions: containers({ portMappings: [{ containerPort: 70000 }] }) }), { field: cd(0, '.portMappings[0].containerPort'), type: C, message: 'must be <= 65535' }],
      ['bad protocol', ec2Td({ containerDefinitions: containers({ portMappings: [{ containerPort: 80, protocol: 'sctp' }] }) }), { field: cd(0, '.portMappings[0].protocol'), type: C, message: 'must be one of: tcp, udp' }],
      ['links in awsvpc', ec2Td({ networkMode: 'awsvpc', containerDefinitions: containers({ portMappings: [], links: ['db'] }) }), { field: cd(0, '.links'), type: C }],
      [
        'dependsOn unknown container',
        ec2Td({ containerDefinitions: containers({ dependsOn: [{ containerName: 'ghost', condition: 'START' }] }) }),
        { field: cd(0, '.dependsOn[0].containerName'), type: C, message: /'ghost' does not exist/ },
      ],
      [
        'COMPLETE on an essential container',
        ec2Td({ containerDefinitions: containers({ name: 'init' }, { dependsOn: [{ containerName: 'init', condition: 'COMPLETE' }] }) }),
        { field: cd(1, '.dependsOn[0].condition'), type: C, message: /COMPLETE condition cannot be used with essential container 'init'/ },
      ],
      [
        'SUCCESS on a container with default essential',
        ec2Td({ containerDefinitions: containers({ name: 'init', essential: undefined }, { dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] }) }),
        { field: cd(1, '.dependsOn[0].condition'), type: C },
      ],
      [
        'HEALTHY without healthCheck',
        ec2Td({ containerDefinitions: containers({ name: 'db' }, { dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }) }),
        { field: cd(1, '.dependsOn[0].condition'), type: C, message: /requires container 'db' to have a healthCheck/ },
      ],
      ['bad dependsOn condition', ec2Td({ containerDefinitions: containers({ name: 'a' }, { dependsOn: [{ containerName: 'a', condition: 'READY' }] }) }), { field: cd(1, '.dependsOn[0].condition'), type: C }],
      [
        'dependsOn cycle',
        ec2Td({
          containerDefinitions: containers(
            { name: 'a', dependsOn: [{ containerName: 'b', condition: 'START' }] },
            { name: 'b', dependsOn: [{ containerName: 'a', condition: 'START' }] },
          ),
        }),
        { field: 'spec.containerDefinitions', type: C, message: /cycle: a -> b -> a/ },
      ],
      ['distinctInstance in a TD', ec2Td({ placementConstraints: [{ type: 'distinctInstance' }] }), { field: 'spec.placementConstraints[0].type', type: C, message: 'must be one of: memberOf' }],
      ['memberOf without expression', ec2Td({ placementConstraints: [{ type: 'memberOf' }] }), { field: 'spec.placementConstraints[0].expression', type: C }],
      [
        'EFS without fileSystemId',
        ec2Td({ volumes: [{ name: 'data', efsVolumeConfiguration: { rootDirectory: '/' } }] }),
        { field: 'spec.volumes[0].efsVolumeConfiguration.fileSystemId', type: C, message: 'Missing required parameter "fileSystemId"' },
      ],
      [
        'EFS IAM without transit encryption',
        ec2Td({ volumes: [{ name: 'data', efsVolumeConfiguration: { fileSystemId: 'fs-1', authorizationConfig: { iam: 'ENABLED' } } }] }),
        { field: 'spec.volumes[0].efsVolumeConfiguration.transitEncryption', type: C, message: /IAM authorization/ },
      ],
      [
        'EFS transit port without transit encryption',
        ec2Td({ volumes: [{ name: 'data', efsVolumeConfiguration: { fileSystemId: 'fs-1', transitEncryption: 'DISABLED', transitEncryptionPort: 2049 } }] }),
        { field: 'spec.volumes[0].efsVolumeConfiguration.transitEncryption', type: C, message: /transit encryption port/ },
      ],
      [
        'EFS access point with a root directory',
        ec2Td({ volumes: [{ name: 'data', efsVolumeConfiguration: { fileSystemId: 'fs-1', transitEncryption: 'ENABLED', rootDirectory: '/x', authorizationConfig: { accessPointId: 'fsap-1' } } }] }),
        { field: 'spec.volumes[0].efsVolumeConfiguration.rootDirectory', type: C },
      ],
      ['duplicate volume names', ec2Td({ volumes: [{ name: 'v' }, { name: 'v' }] }), { field: 'spec.volumes[1].name', type: C }],
      ['mount point of an unknown volume', ec2Td({ containerDefinitions: containers({ mountPoints: [{ sourceVolume: 'nope', containerPath: '/x' }] }) }), { field: cd(0, '.mountPoints[0].sourceVolume'), type: C }],
      ['volumesFrom an unknown container', ec2Td({ containerDefinitions: containers({ volumesFrom: [{ sourceContainer: 'nope' }] }) }), { field: cd(0, '.volumesFrom[0].sourceContainer'), type: C }],
      ['secret without valueFrom', ec2Td({ containerDefinitions: containers({ secrets: [{ name: 'DB' }] }) }), { field: cd(0, '.secrets[0].valueFrom'), type: C, message: 'Missing required parameter "valueFrom"' }],
      ['secret with empty valueFrom', ec2Td({ containerDefinitions: containers({ secrets: [{ name: 'DB', valueFrom: '' }] }) }), { field: cd(0, '.secrets[0].valueFrom'), type: C, message: /The secret 'DB' needs a valueFrom/ }],
      ['secret without name', ec2Td({ containerDefinitions: containers({ secrets: [{ valueFrom: 'arn:aws:ssm:::parameter/x' }] }) }), { field: cd(0, '.secrets[0].name'), type: C }],
      ['bad log driver', ec2Td({ containerDefinitions: containers({ logConfiguration: { logDriver: 'stdout' } }) }), { field: cd(0, '.logConfiguration.logDriver'), type: C, message: /must be one of: json-file, syslog/ }],
      ['log configuration without driver', ec2Td({ containerDefinitions: containers({ logConfiguration: { options: {} } }) }), { field: cd(0, '.logConfiguration.logDriver'), type: C }],
      ['awsfirelens without a firelens container', ec2Td({ containerDefinitions: containers({ logConfiguration: { logDriver: 'awsfirelens' } }) }), { field: cd(0, '.logConfiguration.logDriver'), type: C }],
      ['executionRoleArn not an IAM role ARN', ec2Td({ executionRoleArn: 'arn:aws:s3:::bucket' }), { field: 'spec.executionRoleArn', type: C, message: 'Role is not valid' }],
      ['executionRoleArn as a bare name', ec2Td({ executionRoleArn: 'exec' }), { field: 'spec.executionRoleArn', type: C }],
      ['taskRoleArn with spaces', ec2Td({ taskRoleArn: 'my role' }), { field: 'spec.taskRoleArn', type: C }],
      ['bad network mode', ec2Td({ networkMode: 'nat' }), { field: 'spec.networkMode', type: C, message: 'must be one of: bridge, host, awsvpc, none' }],
      ['cpu as a number', ec2Td({ cpu: 256 }), { field: 'spec.cpu', type: C, message: 'must be string' }],
      ['container memory as a string', ec2Td({ containerDefinitions: containers({ memory: '256' }) }), { field: cd(0, '.memory'), type: C, message: 'must be integer' }],
      ['unknown container field', ec2Td({ containerDefinitions: containers({ memoryLimit: 1 }) }), { field: cd(0, '.memoryLimit'), type: C, message: 'Unknown parameter "memoryLimit"' }],
      ['unknown top-level field', ec2Td({ foo: 'bar' }), { field: 'spec.foo', type: C, message: 'Unknown parameter "foo"' }],
      ['ephemeral storage below 21 GiB', fargateTd({ ephemeralStorage: { sizeInGiB: 20 } }), { field: 'spec.ephemeralStorage.sizeInGiB', type: C }],
      ['family differs from metadata.name', ec2Td({ family: 'other' }), { field: 'spec.family', type: C, message: /must equal metadata.name/ }],
      ['proxy container missing', ec2Td({ proxyConfiguration: { containerName: 'envoy' } }), { field: 'spec.proxyConfiguration.containerName', type: C }],
    ];
    for (const [name, spec, want] of bad) it(name, () => void expectError(errorsOf(TD, spec, 'web'), want));
  });

  it('reports several problems at once', () => {
    const errors = errorsOf(TD, fargateTd({ cpu: '300', networkMode: 'bridge', containerDefinitions: [{ name: 'a' }] }), 'web');
    expectError(errors, { field: 'spec.cpu', type: C });
    expectError(errors, { field: 'spec.networkMode', type: C });
    expectError(errors, { field: cd(0, '.image'), type: C });
  });

  it('never echoes a secret valueFrom', () => {
    const secret = 'arn:aws:secretsmanager:us-east-1:1:secret:TOP-SECRET';
    const spec = ec2Td({
      containerDefinitions: containers({
        secrets: [
          { name: 'A', valueFrom: secret, extra: 1 },
          { name: 'A', valueFrom: secret },
        ],
        logConfiguration: { logDriver: 'splunk', secretOptions: [{ name: 'TOKEN', valueFrom: 7 }] },
      }),
    });
    const errors = errorsOf(TD, spec, 'web');
    expect(errors.length).to.be.greaterThan(0);
    for (const e of errors) expect(e.message).to.not.include('TOP-SECRET');
  });
});

describe('task size parsing (ecs-semantics §1, §3)', () => {
  const cpu: [unknown, number][] = [['256', 256], ['1 vCPU', 1024], ['0.25 vcpu', 256], ['.5vCPU', 512], ['2 vCPUs', 2048], [' 4 vCPU ', 4096]];
  for (const [input, units] of cpu) it(`cpu ${JSON.stringify(input)} = ${units}`, () => expect(parseCpu(input)).to.equal(units));
  for (const input of ['', 'abc', '1.5', '0.1 vCPU', '1 core', undefined]) {
    it(`cpu ${JSON.stringify(input)} is invalid`, () => expect(parseCpu(input)).to.be.NaN);
  }
  const mem: [unknown, number][] = [['512', 512], ['1 GB', 1024], ['0.5GB', 512], ['2 GiB', 2048], ['512 MiB', 512], ['30gb', 30720]];
  for (const [input, mib] of mem) it(`memory ${JSON.stringify(input)} = ${mib}`, () => expect(parseMemory(input)).to.equal(mib));
  for (const input of ['1 TB', 'x', '0.3 GB']) it(`memory ${JSON.stringify(input)} is invalid`, () => expect(parseMemory(input)).to.be.NaN);

  it('the Fargate table matches ecs-semantics §3', () => {
    const rows = Object.fromEntries(FARGATE_SIZES.map((s) => [s.cpu, [s.memory[0], s.memory.at(-1), s.memory.length]]));
    expect(rows).to.deep.equal({
      256: [512, 2048, 3],
      512: [1024, 4096, 4],
      1024: [2048, 8192, 7],
      2048: [4096, 16384, 13],
      4096: [8192, 30720, 23],
      8192: [16384, 61440, 12],
      16384: [32768, 122880, 12],
    });
  });

  it('every table row validates and a neighbouring memory does not', () => {
    for (const size of FARGATE_SIZES) {
      for (const memory of size.memory) expectValid(TD, fargateTd({ cpu: String(size.cpu), memory: String(memory) }), 'web');
      const errors = errorsOf(TD, fargateTd({ cpu: String(size.cpu), memory: String(size.memory.at(-1)! + 1) }), 'web');
      expectError(errors, { field: 'spec.memory', type: C });
    }
  });
});
