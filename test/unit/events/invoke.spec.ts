/** An invocation's RunTask requests: input → overrides, startedBy, tags, TaskCount split, deterministic ids. */
import { expect } from 'chai';
import { InputError, jsonPathGet, resolveInput, runTaskRequests, type EcsTarget } from '../../../controllers/events/invoke.js';

const EVENT = { source: 'aws.s3', detail: { bucket: { name: 'uploads' }, object: { key: 'incoming/a "b".csv', size: 7 }, list: [{ x: 1 }] } };
const target = (extra: Partial<EcsTarget> = {}, ecs: Record<string, unknown> = {}): EcsTarget => ({
  Id: 't',
  Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/c',
  EcsParameters: { TaskDefinitionArn: 'job', TaskCount: 1, ...ecs },
  ...extra,
});
const origin = (kind: 'Rule' | 'Schedule' = 'Rule') => ({ kind, name: 'n', uid: 'u', invocationId: 'i' });

describe('event target input', () => {
  const cases: [string, unknown, unknown][] = [
    ['$', '$', EVENT],
    ['$.detail.object.size', '$.detail.object.size', 7],
    ['$.detail.list[0].x', '$.detail.list[0].x', 1],
    ["$.detail['bucket'].name", "$.detail['bucket'].name", 'uploads'],
    ['missing', '$.detail.nope.deeper', undefined],
  ];
  for (const [name, path, want] of cases) it(`JSONPath ${name}`, () => expect(jsonPathGet(EVENT, path as string)).to.deep.equal(want));

  it('Input is the overrides as written', () => expect(resolveInput(target({ Input: '{"cpu":"512"}' }), EVENT)).to.deep.equal({ cpu: '512' }));
  it('InputPath selects part of the event', () => expect(resolveInput(target({ InputPath: '$.detail.bucket' }), EVENT)).to.deep.equal({ name: 'uploads' }));
  it('InputTransformer: strings are escaped inside quotes, numbers go in as JSON', () => {
    const out = resolveInput(
      target({ InputTransformer: { InputPathsMap: { key: '$.detail.object.key', size: '$.detail.object.size' }, InputTemplate: '{"containerOverrides":[{"name":"w","environment":[{"name":"KEY","value":"<key>"}],"memory":<size>}]}' } }),
      EVENT,
    );
    expect(out).to.deep.equal({ containerOverrides: [{ name: 'w', environment: [{ name: 'KEY', value: 'incoming/a "b".csv' }], memory: 7 }] });
  });
  it('InputTransformer output that is not JSON is an InputError', () => {
    expect(() => resolveInput(target({ InputTransformer: { InputPathsMap: { key: '$.detail.object.key' }, InputTemplate: 'key is <key>' } }), EVENT)).to.throw(InputError, /not valid JSON/);
  });
});

describe('RunTask requests of an invocation', () => {
  it("a rule's tasks: startedBy events-rule/<name>, EventBridge tags and network config in RunTask casing", () => {
    const [t] = runTaskRequests(origin(), target({}, { Tags: [{ Key: 'team', Value: 'data' }], NetworkConfiguration: { awsvpcConfiguration: { Subnets: ['s-1'], AssignPublicIp: 'DISABLED' } }, LaunchType: 'FARGATE' }), { cpu: '512' });
    expect(t.spec).to.deep.equal({
      cluster: 'c',
      taskDefinition: 'job',
      count: 1,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['s-1'], assignPublicIp: 'DISABLED' } },
      tags: [{ key: 'team', value: 'data' }],
      startedBy: 'events-rule/n',
      overrides: { cpu: '512' },
    });
    expect(t.metadata.labels).to.deep.equal({ 'events.ecsplane.io/rule': 'n' });
    expect(t.metadata.name).to.match(/^[0-9a-f]{32}$/);
  });
  it("a schedule's tasks: referenceId, Scheduler tags, no startedBy", () => {
    const [t] = runTaskRequests(origin('Schedule'), target({}, { ReferenceId: 'nightly', Tags: [{ team: 'data' }] }), undefined);
    expect(t.spec).to.include({ referenceId: 'nightly' }).and.not.have.property('startedBy');
    expect(t.spec.tags).to.deep.equal([{ key: 'team', value: 'data' }]);
  });
  it('TaskCount is the count of one RunTask call (above 10 RunTask refuses it: see events.spec)', () => {
    expect(runTaskRequests(origin(), target({}, { TaskCount: 25 }), undefined).map((t) => t.spec.count)).to.deep.equal([25]);
  });
  it('ids are the same for the same invocation and differ between invocations', () => {
    const a = runTaskRequests(origin(), target(), undefined)[0].metadata.name;
    expect(runTaskRequests(origin(), target(), undefined)[0].metadata.name).to.equal(a);
    expect(runTaskRequests({ ...origin(), invocationId: 'j' }, target(), undefined)[0].metadata.name).to.not.equal(a);
  });
});
