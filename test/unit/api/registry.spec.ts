/** The KINDS registry: names, scope, schemas and printer columns (what the CRDs are built from). */
import { expect } from 'chai';
import { KINDS, kindDef } from '../../../api/v1alpha1/index.js';

const ALL = [
  'AccountSetting',
  'AutoScalingGroup',
  'CapacityProvider',
  'Cluster',
  'ContainerInstance',
  'MetricAlarm',
  'Queue',
  'Rule',
  'ScalableTarget',
  'ScalingPolicy',
  'Schedule',
  'ScheduledAction',
  'Service',
  'Subnet',
  'TargetGroup',
  'Task',
  'TaskDefinition',
  'TaskDefinitionRevision',
];

// Core Kubernetes short names a CRD must not shadow.
const CORE_SHORT_NAMES = ['cm', 'cs', 'ds', 'deploy', 'ep', 'ev', 'hpa', 'ing', 'limits', 'netpol', 'no', 'ns', 'pdb', 'po', 'pv', 'pvc', 'quota', 'rc', 'rs', 'sa', 'sc', 'sts', 'svc', 'crd', 'csr', 'cj'];

describe('KINDS registry', () => {
  it('has every kind', () => expect(Object.keys(KINDS).sort()).to.deep.equal(ALL));
  it('kindDef looks kinds up safely', () => {
    expect(kindDef('Service')?.plural).to.equal('services');
    expect(kindDef('toString')).to.equal(undefined);
  });

  it('names follow Kubernetes conventions and do not collide', () => {
    const shorts: string[] = [];
    for (const def of Object.values(KINDS)) {
      expect(def.plural).to.match(/^[a-z]+$/);
      expect(def.singular).to.equal(def.kind.toLowerCase());
      expect(def.categories).to.deep.equal(['ecs']);
      shorts.push(...def.shortNames);
    }
    expect(new Set(shorts).size).to.equal(shorts.length);
    for (const s of shorts) expect(CORE_SHORT_NAMES, s).to.not.include(s);
    expect(new Set(Object.values(KINDS).map((d) => d.plural)).size).to.equal(ALL.length);
  });

  it('marks the kinds that live inside a cluster', () => {
    const scoped = Object.values(KINDS).filter((d) => d.clusterScoped).map((d) => d.kind).sort();
    expect(scoped).to.deep.equal(['ContainerInstance', 'Service', 'Task']);
  });

  it('name fields exist in the spec schemas', () => {
    const expected: Record<string, string | undefined> = {
      Cluster: 'clusterName',
      TaskDefinition: 'family',
      Service: 'serviceName',
      CapacityProvider: 'name',
      AccountSetting: 'name',
      AutoScalingGroup: 'AutoScalingGroupName',
      ScalingPolicy: 'PolicyName',
      ScheduledAction: 'ScheduledActionName',
      TargetGroup: 'Name',
      Queue: 'QueueName',
      MetricAlarm: 'AlarmName',
      Rule: 'Name',
      Schedule: 'Name',
    };
    for (const def of Object.values(KINDS)) {
      expect(def.nameField, def.kind).to.equal(expected[def.kind]);
      if (def.nameField) expect(def.specSchema.properties, def.kind).to.have.property(def.nameField);
      expect(def.specSchema.type).to.equal('object');
      expect(def.schemaSource).to.match(/^botocore \d/);
    }
  });

  it('status schemas are the AWS output shapes, typed and documented', () => {
    for (const def of Object.values(KINDS)) {
      expect(def.statusSchema.type).to.equal('object');
      expect(def.statusSchema).to.not.have.property('x-kubernetes-preserve-unknown-fields');
      expect(def.statusSource, def.kind).to.match(/^botocore \d.* (Setting|Cluster|TaskDefinition|Service|Task|ContainerInstance|CapacityProvider|AutoScalingGroup|ScalableTarget|ScalingPolicy|ScheduledAction|TargetGroup|Subnet|MetricAlarm|GetQueueAttributes|DescribeRuleResponse|GetScheduleOutput)$/);
      expect(Object.keys(def.statusSchema.properties).length, def.kind).to.be.greaterThan(2);
    }
  });

  it('printer columns are well-formed and end with AGE', () => {
    for (const def of Object.values(KINDS)) {
      const names = def.printerColumns.map((c) => c.name);
      expect(new Set(names).size, def.kind).to.equal(names.length);
      expect(names.at(-1), def.kind).to.equal('AGE');
      for (const c of def.printerColumns) {
        expect(c.jsonPath, `${def.kind} ${c.name}`).to.match(/^\.(spec|status|metadata)(\.|\[|$)/);
        expect(['string', 'integer', 'number', 'boolean', 'date']).to.include(c.type);
        expect(c.name).to.match(/^[A-Z0-9]+$/);
      }
    }
  });

  const columns = (kind: string) => Object.fromEntries(KINDS[kind].printerColumns.map((c) => [c.name, c.jsonPath]));

  it('Service columns (at least ACK\'s)', () => {
    expect(columns('Service')).to.include({
      CLUSTER: '.spec.cluster',
      DESIRED: '.status.desiredCount',
      RUNNING: '.status.runningCount',
      PENDING: '.status.pendingCount',
      TASKDEFINITION: '.status.summary.taskDefinition', // family:revision; the ARN with -o wide
      TASKDEFINITIONARN: '.status.taskDefinition',
      READY: '.status.summary.ready',
      STATUS: '.status.status',
      AGE: '.metadata.creationTimestamp',
    });
  });

  it('Task columns', () => {
    expect(columns('Task')).to.include({
      CLUSTER: '.spec.cluster',
      GROUP: '.status.group',
      LAST: '.status.lastStatus',
      DESIRED: '.status.desiredStatus',
      INSTANCE: '.status.containerInstanceArn',
    });
  });

  it('Cluster, TaskDefinition and ContainerInstance columns', () => {
    expect(columns('Cluster')).to.include({
      STATUS: '.status.status',
      RUNNING: '.status.runningTasksCount',
      PENDING: '.status.pendingTasksCount',
      SERVICES: '.status.activeServicesCount',
      INSTANCES: '.status.registeredContainerInstancesCount',
    });
    expect(columns('TaskDefinition')).to.include({ REVISION: '.status.revision', CPU: '.spec.cpu', MEMORY: '.spec.memory', NETWORKMODE: '.spec.networkMode' });
    expect(columns('TaskDefinition')).to.have.property('FAMILY');
    expect(columns('ContainerInstance')).to.include({
      CLUSTER: '.spec.cluster',
      STATUS: '.status.status',
      AGENT: '.status.agentConnected',
      RUNNING: '.status.runningTasksCount',
    });
    expect(columns('ContainerInstance').CPU).to.include('.status.remainingResources');
    expect(columns('ContainerInstance').MEMORY).to.include('.status.remainingResources');
  });
});
