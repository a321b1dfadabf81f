import { expect } from 'chai';
import { compileCql, evaluateCql, type CqlContext, type InstanceView } from '../../../controllers/placement/index.js';
import { inst, tasks } from './helpers.js';

const base = inst('ci-1', {
  ec2InstanceId: 'i-0abc123',
  agentVersion: '1.20.3',
  registeredAt: Date.UTC(2018, 5, 15, 10, 30, 0), // 2018-06-15T10:30:00Z
  type: 't2.micro',
  az: 'us-east-1b',
  attributes: { stack: 'prod', size: '12', 'no-value': null, 'build.date': '2020-03-01', version: '1.9.0', constructor: 'yes' },
  tasks: [...tasks(2, 'service:web'), ...tasks(1, 'family:batch')],
});
const disconnected: InstanceView = { ...base, agentConnected: false };

describe('placement/cql evaluator', () => {
  const cases: Array<[string, boolean, InstanceView?, CqlContext?]> = [
    // attribute ==, !=, equals, not_equals, wildcards
    ['attribute:ecs.instance-type == t2.micro', true],
    ['attribute:ecs.instance-type == t2.small', false],
    ['attribute:ecs.instance-type equals t2.micro', true],
    ['attribute:ecs.instance-type == T2.MICRO', false],
    ['attribute:ecs.instance-type == t2.*', true],
    ['attribute:ecs.instance-type == *.micro', true],
    ['attribute:ecs.instance-type == t3.*', false],
    ['attribute:ecs.instance-type == t2', false],
    ['attribute:ecs.instance-type != t2.micro', false],
    ['attribute:ecs.instance-type != t2.*', false],
    ['attribute:ecs.instance-type not_equals m5.large', true],
    ["attribute:ecs.instance-type == 't2.micro'", true],
    ['attribute:ecs.instance-type == "t2.micro"', true],
    // missing attributes and attributes without value
    ['attribute:missing == x', false],
    ['attribute:missing != x', true],
    ['attribute:missing exists', false],
    ['attribute:missing !exists', true],
    ['attribute:missing not_exists', true],
    ['attribute:missing in [a, b]', false],
    ['attribute:missing !in [a, b]', true],
    ['attribute:missing =~ .*', false],
    ['attribute:missing !~ .*', true],
    ['attribute:missing > 1', false],
    ['attribute:no-value exists', true],
    ['attribute:no-value == x', false],
    ['attribute:no-value != x', true],
    ['attribute:toString exists', false],
    ['attribute:__proto__ exists', false],
    ['attribute:constructor == yes', true],
    ['attribute:stack exists', true],
    ['attribute:stack !exists', false],
    // in / !in
    ['attribute:ecs.availability-zone in [us-east-1a, us-east-1b]', true],
    ['attribute:ecs.availability-zone in [us-east-1a, us-east-1c]', false],
    ["attribute:ecs.availability-zone in ['us-east-1b']", true],
    ['attribute:ecs.availability-zone !in [us-east-1a, us-east-1b]', false],
    ['attribute:ecs.availability-zone not_in [us-east-1a, us-east-1c]', true],
    ['attribute:ecs.instance-type in [m5.*, t2.*]', true],
    // regex: whole value (Java matches)
    ['attribute:ecs.instance-type =~ t2.*', true],
    ['attribute:ecs.instance-type =~ t2', false],
    ['attribute:ecs.instance-type =~ micro', false],
    ['attribute:ecs.instance-type =~ .*micro', true],
    ["attribute:ecs.instance-type matches '^t[23]\\.(micro|small)$'", true],
    ["attribute:ecs.instance-type =~ 't2|m5'", false],
    ["attribute:ecs.instance-type =~ 't2.micro|m5.large'", true],
    ['attribute:ecs.instance-type !~ t2.*', false],
    ['attribute:ecs.instance-type not_matches m5.*', true],
    // numeric / string / date ordering on attributes
    ['attribute:size > 9', true],
    ['attribute:size > 12', false],
    ['attribute:size >= 12', true],
    ['attribute:size < 100', true],
    ['attribute:size <= 11.5', false],
    ['attribute:size == 12.0', true],
    ['attribute:size != 12', false],
    ['attribute:stack > pre', true],
    ['attribute:stack < prof', true],
    ['attribute:build.date > 2020-01-01', true],
    ['attribute:build.date < 2020-02-28T23:59:59Z', false],
    // agentConnected
    ['agentConnected == true', true],
    ['agentConnected == TRUE', true],
    ['agentConnected == false', false],
    ['agentConnected != true', false],
    ['agentConnected == false', true, disconnected],
    ['agentConnected in [false]', true, disconnected],
    ['agentConnected !in [false]', true],
    ['agentConnected exists', true],
    // agentVersion: dotted versions compare component-wise
    ['agentVersion == 1.20.3', true],
    ['agentVersion >= 1.20.0', true],
    ['agentVersion > 1.9.0', true],
    ['agentVersion < 1.3', false],
    ['agentVersion <= 1.20.3', true],
    ['agentVersion < 1.20.4', true],
    ['agentVersion != 1.5.0', true],
    ['agentVersion =~ 1\\.20\\..*', true],
    ['agentVersion in [1.19.0, 1.20.3]', true],
    // attributes are not versions: 1.9.0 vs 1.10.0 compares as strings
    ['attribute:version > 1.10.0', true],
    // ec2InstanceId
    ['ec2InstanceId == i-0abc123', true],
    ["ec2InstanceId in ['i-abcd1234', 'i-0abc123']", true],
    ['ec2InstanceId =~ i-0.*', true],
    ['ec2InstanceId != i-0abc123', false],
    ['ec2InstanceId exists', true],
    // registeredAt: dates and timestamps (UTC)
    ['registeredAt > 2018-01-01', true],
    ['registeredAt < 2018-01-01', false],
    ['registeredAt < 2018-06-16', true],
    ['registeredAt >= 2018-06-15T10:30:00Z', true],
    ['registeredAt > 2018-06-15T10:30:00Z', false],
    ['registeredAt > 2018-06-15T10:30:00.000+01:00', true],
    ['registeredAt < 2018-06-15T12:30:01+02:00', true],
    ['registeredAt < 2018-06-15T12:29:59+0200', false],
    ['registeredAt <= 2018-06-15T10:30:00', true],
    ['registeredAt == 2018-06-15', true],
    ['registeredAt == 2018-06-16', false],
    ['registeredAt != 2018-06-15', false],
    ['registeredAt == 2018-06-15T10:30:00Z', true],
    ['registeredAt in [2017-01-01, 2018-06-15]', true],
    [`registeredAt == ${Date.UTC(2018, 5, 15, 10, 30, 0)}`, true],
    ['registeredAt =~ 2018-06-.*', true],
    // runningTasksCount
    ['runningTasksCount == 3', true],
    ['runningTasksCount > 2', true],
    ['runningTasksCount < 3', false],
    ['runningTasksCount <= 3', true],
    ['runningTasksCount >= 4', false],
    ['runningTasksCount != 3', true, inst('empty')],
    ['runningTasksCount == 0', true, inst('empty')],
    ['runningTasksCount in [0, 5]', true, base, { additionalRunningTasks: 2 }],
    ['runningTasksCount == 5', true, base, { additionalRunningTasks: 2 }],
    // task:group
    ['task:group == service:web', true],
    ['task:group == family:batch', true],
    ['task:group == service:api', false],
    ['task:group != service:api', true],
    ['task:group != service:web', false],
    ['task:group == service:*', true],
    ['task:group in [service:api, family:batch]', true],
    ['task:group !in [service:api, family:cron]', true],
    ['task:group =~ family:.*', true],
    ['task:group !~ service:.*', false],
    ['task:group exists', true],
    ['task:group exists', false, inst('empty')],
    ['task:group !exists', true, inst('empty')],
    ['task:group == service:api', true, base, { additionalGroups: ['service:api'] }],
    ['task:group exists', true, inst('empty'), { additionalGroups: ['service:api'], additionalRunningTasks: 1 }],
    ['not(task:group == database)', true],
    // combinators and precedence: not > and > or
    ['attribute:stack == prod and attribute:size > 5', true],
    ['attribute:stack == prod && attribute:size > 50', false],
    ['attribute:stack == dev or attribute:size > 5', true],
    ['attribute:stack == dev || attribute:size > 50', false],
    ['attribute:stack == dev and attribute:size > 50 or agentConnected == true', true],
    ['attribute:stack == dev and (attribute:size > 50 or agentConnected == true)', false],
    ['agentConnected == true or attribute:stack == dev and attribute:size > 50', true],
    ['(agentConnected == true or attribute:stack == dev) and attribute:size > 50', false],
    ['not attribute:stack == dev and attribute:size > 5', true],
    ['not (attribute:stack == prod and attribute:size > 50)', true],
    ['not attribute:stack == prod or attribute:size > 5', true],
    ['not attribute:stack == prod or attribute:size > 50', false],
    ['!attribute:stack exists', false],
    ['!!attribute:stack exists', true],
    ['not not attribute:stack exists', true],
    ['!(attribute:stack exists) || !(attribute:size exists)', false],
    ['attribute:a exists or attribute:b exists or attribute:stack exists', true],
    ['attribute:stack exists and attribute:size exists and attribute:a exists', false],
    ['attribute:stack==prod&&attribute:size>5', true],
  ];
  for (const [expr, want, instance, ctx] of cases) {
    const label = instance && instance !== base ? ` on ${instance === disconnected ? 'disconnected' : instance.name}` : '';
    const withCtx = ctx ? ` with ${JSON.stringify(ctx)}` : '';
    it(`${expr}${label}${withCtx} => ${want}`, () => {
      expect(evaluateCql(compileCql(expr), instance ?? base, ctx)).to.equal(want);
    });
  }

  it('a compiled expression is reusable across instances', () => {
    const c = compileCql('attribute:ecs.availability-zone == us-east-1a');
    const fleet = ['us-east-1a', 'us-east-1b', 'us-east-1a'].map((az, k) => inst(`ci-${k}`, { az }));
    expect(fleet.map((f) => evaluateCql(c, f))).to.deep.equal([true, false, true]);
  });

  it('does not depend on the local time zone (timestamps without offset are UTC)', () => {
    const i = inst('tz', { registeredAt: Date.UTC(2020, 0, 1, 0, 0, 0) });
    expect(evaluateCql(compileCql('registeredAt == 2020-01-01T00:00:00'), i)).to.equal(true);
  });
});
