/**
 * Rule (PutRule + PutTargets) and Schedule (Scheduler CreateSchedule) admission rules: EventBridge's and the
 * Scheduler's exception names (ValidationException, InvalidEventPatternException) with field paths.
 */
import { expect } from 'chai';
import { withDefaults } from '../../../api/validate.js';
import { notSimulatedFields } from '../../../api/not-simulated.js';
import { errorsOf, expectError, expectValid, type Expected } from '../api/helpers.js';

const VE = 'ValidationException';
const CLUSTER = 'arn:aws:ecs:us-east-1:123456789012:cluster/batch';
const ROLE = 'arn:aws:iam::123456789012:role/ecsEventsRole';
const target = (extra: object = {}, ecs: object = {}) => ({ Id: 'run', Arn: CLUSTER, RoleArn: ROLE, EcsParameters: { TaskDefinitionArn: 'report', ...ecs }, ...extra });
const rule = (extra: object = {}) => ({ ScheduleExpression: 'rate(1 hour)', Targets: [target()], ...extra });
const sched = (extra: object = {}) => ({ ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: CLUSTER, RoleArn: ROLE, EcsParameters: { TaskDefinitionArn: 'report' } }, ...extra });

type Good = [string, any, string?];
type Bad = [string, any, Expected, string?];

function table(kind: string, good: Good[], bad: Bad[]): void {
  describe(`${kind} validation`, () => {
    for (const [name, spec, objName] of good) it(`valid: ${name}`, () => expectValid(kind, spec, objName ?? 'hourly'));
    for (const [name, spec, want, objName] of bad) it(`invalid: ${name}`, () => void expectError(errorsOf(kind, spec, objName ?? 'hourly'), want));
  });
}

table(
  'Rule',
  [
    ['rate(1 hour)', rule()],
    ['rate(5 minutes)', rule({ ScheduleExpression: 'rate(5 minutes)' })],
    ['cron with ? and L', rule({ ScheduleExpression: 'cron(0 18 L * ? *)' })],
    ['cron with W and #', rule({ ScheduleExpression: 'cron(15 10 ? * 6#3 *)' })],
    ['cron nearest weekday', rule({ ScheduleExpression: 'cron(0 8 15W * ? 2026-2030)' })],
    ['event pattern', rule({ ScheduleExpression: undefined, EventPattern: '{"source":["aws.s3"]}' })],
    ['Name equal to metadata.name', rule({ Name: 'hourly' })],
    ['capacity provider strategy', rule({ Targets: [target({}, { CapacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }] })] })],
    ['InputTransformer', rule({ Targets: [target({ InputTransformer: { InputPathsMap: { k: '$.detail.object.key' }, InputTemplate: '{"containerOverrides":[{"name":"c","command":["<k>"]}]}' } })] })],
    ['InputPath', rule({ Targets: [target({ InputPath: '$.detail' })] })],
    ['no targets yet', { ScheduleExpression: 'rate(1 day)' }],
    ['non-ECS target', rule({ Targets: [{ Id: 'fn', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:f' }] })],
  ],
  [
    ['neither schedule nor pattern', { Targets: [target()] }, { field: 'spec', type: VE, message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.' }],
    ['five-field cron', rule({ ScheduleExpression: 'cron(0 12 * * ?)' }), { field: 'spec.ScheduleExpression', type: VE, message: /^Parameter ScheduleExpression is not valid: .*expected 6 fields/ }],
    ['cron with two ?', rule({ ScheduleExpression: 'cron(0 12 ? * ? *)' }), { field: 'spec.ScheduleExpression', type: VE, message: /exactly one of day-of-month and day-of-week/ }],
    ['cron with both days', rule({ ScheduleExpression: 'cron(0 12 1 * MON *)' }), { field: 'spec.ScheduleExpression', type: VE }],
    ['cron hour 24', rule({ ScheduleExpression: 'cron(0 24 * * ? *)' }), { field: 'spec.ScheduleExpression', type: VE, message: /bad hours field/ }],
    ['rate(1 hours)', rule({ ScheduleExpression: 'rate(1 hours)' }), { field: 'spec.ScheduleExpression', type: VE, message: /singular/ }],
    ['rate(5 minute)', rule({ ScheduleExpression: 'rate(5 minute)' }), { field: 'spec.ScheduleExpression', type: VE, message: /plural/ }],
    ['rate(0 minutes)', rule({ ScheduleExpression: 'rate(0 minutes)' }), { field: 'spec.ScheduleExpression', type: VE }],
    ['at() on a rule', rule({ ScheduleExpression: 'at(2026-01-01T00:00:00)' }), { field: 'spec.ScheduleExpression', type: VE, message: /not supported by rules/ }],
    ['schedule on a custom bus', rule({ EventBusName: 'orders' }), { field: 'spec.ScheduleExpression', type: VE, message: 'ScheduleExpression is supported only on the default event bus.' }],
    ['bad pattern', rule({ ScheduleExpression: undefined, EventPattern: '{"source":"aws.s3"}' }), { field: 'spec.EventPattern', type: 'InvalidEventPatternException', message: /^Event pattern is not valid\. Reason: / }],
    ['unknown State', rule({ State: 'ON' }), { field: 'spec.State', type: VE }],
    ['bad name', rule(), { field: 'metadata.name', type: VE }, 'hourly batch'],
    ['Name differs', rule({ Name: 'other' }), { field: 'spec.Name', type: VE }],
    ['duplicate target Id', rule({ Targets: [target(), target()] }), { field: 'spec.Targets[1].Id', type: VE, message: "Duplicate target Id 'run'." }],
    ['ECS target without role', rule({ Targets: [target({ RoleArn: undefined })] }), { field: 'spec.Targets[0].RoleArn', type: VE }],
    ['EcsParameters on a non-cluster ARN', rule({ Targets: [target({ Arn: 'arn:aws:lambda:us-east-1:1:function:f' })] }), { field: 'spec.Targets[0].Arn', type: VE }],
    ['cluster ARN without EcsParameters', rule({ Targets: [{ Id: 'x', Arn: CLUSTER, RoleArn: ROLE }] }), { field: 'spec.Targets[0].EcsParameters', type: VE }],
    ['no TaskDefinitionArn', rule({ Targets: [{ Id: 'x', Arn: CLUSTER, RoleArn: ROLE, EcsParameters: {} }] }), { field: 'spec.Targets[0].EcsParameters.TaskDefinitionArn', type: VE }],
    ['launch type and strategy', rule({ Targets: [target({}, { LaunchType: 'EC2', CapacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }] })] }), { field: 'spec.Targets[0].EcsParameters.LaunchType', type: VE }],
    ['Input and InputPath', rule({ Targets: [target({ Input: '{}', InputPath: '$.detail' })] }), { field: 'spec.Targets[0].InputPath', type: VE, message: /Only one of Input, InputPath, or InputTransformer/ }],
    ['Input not JSON', rule({ Targets: [target({ Input: '{oops' })] }), { field: 'spec.Targets[0].Input', type: VE }],
    ['InputPath not a JSONPath', rule({ Targets: [target({ InputPath: 'detail.key' })] }), { field: 'spec.Targets[0].InputPath', type: VE }],
    ['template placeholder not in the map', rule({ Targets: [target({ InputTransformer: { InputPathsMap: {}, InputTemplate: '{"a":"<k>"}' } })] }), { field: 'spec.Targets[0].InputTransformer.InputTemplate', type: VE }],
    ['RetryPolicy out of range', rule({ Targets: [target({ RetryPolicy: { MaximumRetryAttempts: 186 } })] }), { field: 'spec.Targets[0].RetryPolicy.MaximumRetryAttempts', type: VE }],
    ['TaskCount 0', rule({ Targets: [target({}, { TaskCount: 0 })] }), { field: 'spec.Targets[0].EcsParameters.TaskCount', type: VE }],
    ['camelCase field', { scheduleExpression: 'rate(1 hour)' }, { field: 'spec.scheduleExpression', type: VE }],
  ],
);

table(
  'Schedule',
  [
    ['rate', sched()],
    ['one-time at() in a time zone', sched({ ScheduleExpression: 'at(2026-03-29T02:30:00)', ScheduleExpressionTimezone: 'Europe/Paris', ActionAfterCompletion: 'DELETE' })],
    ['cron with a window', sched({ ScheduleExpression: 'cron(0 9 ? * MON-FRI *)', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 } })],
    ['start and end', sched({ StartDate: '2026-01-01T00:00:00Z', EndDate: '2026-02-01T00:00:00Z' })],
    ['rate(1 minute)', sched({ ScheduleExpression: 'rate(1 minute)' })],
  ],
  [
    ['no FlexibleTimeWindow', { ScheduleExpression: 'rate(1 hour)', Target: sched().Target }, { field: 'spec.FlexibleTimeWindow', type: VE }],
    ['bad cron', sched({ ScheduleExpression: 'cron(0 9 * * * *)' }), { field: 'spec.ScheduleExpression', type: VE, message: /^Invalid Schedule Expression / }],
    ['bad at()', sched({ ScheduleExpression: 'at(2026-02-30T00:00:00)' }), { field: 'spec.ScheduleExpression', type: VE }],
    ['unknown zone', sched({ ScheduleExpressionTimezone: 'Mars/Olympus' }), { field: 'spec.ScheduleExpressionTimezone', type: VE }],
    ['FLEXIBLE without a window', sched({ FlexibleTimeWindow: { Mode: 'FLEXIBLE' } }), { field: 'spec.FlexibleTimeWindow.MaximumWindowInMinutes', type: VE }],
    ['OFF with a window', sched({ FlexibleTimeWindow: { Mode: 'OFF', MaximumWindowInMinutes: 5 } }), { field: 'spec.FlexibleTimeWindow.MaximumWindowInMinutes', type: VE }],
    ['window above 1440', sched({ FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 1441 } }), { field: 'spec.FlexibleTimeWindow.MaximumWindowInMinutes', type: VE }],
    ['EndDate before StartDate', sched({ StartDate: '2026-02-01T00:00:00Z', EndDate: '2026-01-01T00:00:00Z' }), { field: 'spec.EndDate', type: VE }],
    ['StartDate not a time', sched({ StartDate: 'tomorrow' }), { field: 'spec.StartDate', type: VE }],
    ['no role', sched({ Target: { Arn: CLUSTER, EcsParameters: { TaskDefinitionArn: 'report' } } }), { field: 'spec.Target.RoleArn', type: VE }],
    ['InputPath on a schedule', sched({ Target: { ...sched().Target, InputPath: '$.x' } }), { field: 'spec.Target.InputPath', type: VE }],
    ['ActionAfterCompletion unknown', sched({ ActionAfterCompletion: 'ARCHIVE' }), { field: 'spec.ActionAfterCompletion', type: VE }],
  ],
);

describe('Rule and Schedule defaults', () => {
  it('Rule: ENABLED on the default bus, TaskCount 1, the documented RetryPolicy', () => {
    const d = withDefaults('Rule', { ScheduleExpression: 'rate(1 hour)', Targets: [{ Id: 't', Arn: CLUSTER, RoleArn: ROLE, EcsParameters: { TaskDefinitionArn: 'x' } }] }, { name: 'r' });
    expect(d).to.deep.include({ Name: 'r', State: 'ENABLED', EventBusName: 'default' });
    expect(d.Targets[0].EcsParameters.TaskCount).to.equal(1);
    expect(d.Targets[0].RetryPolicy).to.deep.equal({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
  });
  it('Schedule: UTC, group default, ENABLED, ActionAfterCompletion NONE', () => {
    expect(withDefaults('Schedule', sched(), { name: 's' })).to.deep.include({ Name: 's', GroupName: 'default', State: 'ENABLED', ScheduleExpressionTimezone: 'UTC', ActionAfterCompletion: 'NONE' });
  });
});

describe('Rule and Schedule: fields ecsplane does not simulate', () => {
  it('a non-ECS target is named with its path; a DeadLetterConfig is simulated (not reported)', () => {
    const fields = notSimulatedFields('Rule', rule({ Targets: [{ Id: 'fn', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:f' }, target({ DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:1:dlq' } })] }));
    expect(fields.map((f) => f.field)).to.deep.equal(['spec.Targets[0].Arn']);
    expect(fields[0].message).to.match(/not an ECS task target.*never invoked/);
  });
  it('a plain ECS target has none', () => {
    expect(notSimulatedFields('Rule', rule())).to.deep.equal([]);
    expect(notSimulatedFields('Schedule', sched())).to.deep.equal([]);
    expect(notSimulatedFields('Schedule', sched({ Target: { Arn: 'arn:aws:sqs:us-east-1:1:q', RoleArn: ROLE } })).map((f) => f.field)).to.deep.equal(['spec.Target.Arn']);
  });
});
