import { expect } from 'chai';
import { EcsError, ErrorType } from '../../../api/errors.js';
import { placeTasks, type InstanceView, type PlacementConstraint, type PlacementStrategy, type TaskRequirements } from '../../../controllers/placement/index.js';
import { inst, noRng, req, tally, tasks } from './helpers.js';

function place(
  instances: InstanceView[],
  constraints: PlacementConstraint[],
  count: number,
  strategy: PlacementStrategy[] = [{ type: 'spread', field: 'instanceId' }],
  task: Partial<TaskRequirements> = {},
) {
  return placeTasks({ instances, task: req(task), count, constraints, strategy, rng: noRng });
}
const seq = (r: { placements: { instance: string }[] }) => r.placements.map((p) => p.instance);
const DISTINCT: PlacementConstraint = { type: 'distinctInstance' };
const memberOf = (expression: string): PlacementConstraint => ({ type: 'memberOf', expression });

describe('placement/constraints', () => {
  describe('the closest matching instance (failures[0])', () => {
    const cases: Array<[string, InstanceView[], PlacementConstraint[], string, string]> = [
      // name, instances, constraints → the instance failures[0] names, its reason
      ['a forbidden instance short of CPU is not named before an allowed one short of memory',
        [inst('a', { remainingCpu: 0, type: 't3.small' }), inst('b', { remainingMemory: 0, type: 'm5.large' })], [memberOf('attribute:ecs.instance-type =~ m5.*')], 'b', 'RESOURCE:MEMORY'],
      ['an instance already running the group (distinctInstance) is not the closest match',
        [inst('a', { remainingCpu: 0, tasks: tasks(1, 'service:web') }), inst('b', { remainingCpu: 0 })], [DISTINCT], 'b', 'RESOURCE:CPU'],
      ['with no allowed instance the first one is named with its reason',
        [inst('a', { type: 't3.small' }), inst('b', { type: 't3.small' })], [memberOf('attribute:ecs.instance-type =~ m5.*')], 'a', 'ATTRIBUTE'],
      ['without constraints the order is the instances\' order',
        [inst('a', { remainingCpu: 0 }), inst('b', { remainingMemory: 0 })], [], 'a', 'RESOURCE:CPU'],
    ];
    for (const [name, instances, constraints, want, why] of cases) {
      it(name, () => {
        const res = placeTasks({ instances, task: req({ group: 'service:web' }), count: 1, constraints, strategy: [], rng: noRng });
        expect(res.failures[0]).to.deep.equal({ arn: instances.find((i) => i.name === want)!.arn, reason: why });
        expect(res.failures).to.have.length(instances.length);
      });
    }
  });

  describe('distinctInstance', () => {
    it('places at most one task of the group per instance, counting this request', () => {
      const f = [inst('a'), inst('b'), inst('c')];
      const res = place(f, [DISTINCT], 4, [{ type: 'binpack', field: 'memory' }]);
      expect(seq(res).sort()).to.deep.equal(['a', 'b', 'c']);
      expect(res.unplaced).to.equal(1);
      expect(res.failures).to.deep.equal(f.map((i) => ({ arn: i.arn, reason: 'ATTRIBUTE' })));
    });

    it('excludes instances already running a task of the group', () => {
      const f = [inst('a', { tasks: tasks(1, 'service:web') }), inst('b'), inst('c', { tasks: tasks(3, 'family:other') })];
      expect(seq(place(f, [DISTINCT], 2)).sort()).to.deep.equal(['b', 'c']);
    });

    it('also counts tasks of the same service under another group name', () => {
      const f = [inst('a', { tasks: tasks(1, 'custom-group', { serviceKey: 'default/web' }) }), inst('b')];
      expect(seq(place(f, [DISTINCT], 2))).to.deep.equal(['b']);
    });

    it('is binding even when the strategy would pack', () => {
      const f = [inst('a', { remainingMemory: 100000 }), inst('b', { remainingMemory: 1024 })];
      expect(seq(place(f, [DISTINCT], 2, [{ type: 'binpack', field: 'memory' }]))).to.deep.equal(['b', 'a']);
    });

    it('resource reasons come before ATTRIBUTE', () => {
      const f = [inst('a', { remainingCpu: 0, tasks: tasks(1, 'service:web') }), inst('b', { tasks: tasks(1, 'service:web') })];
      expect(place(f, [DISTINCT], 1).failures.map((x) => x.reason)).to.deep.equal(['RESOURCE:CPU', 'ATTRIBUTE']);
    });
  });

  describe('memberOf', () => {
    const fleet = () => [
      inst('a', { az: 'us-east-1a', type: 't2.micro', attributes: { stack: 'prod' } }),
      inst('b', { az: 'us-east-1b', type: 'm5.large', attributes: { stack: 'prod' } }),
      inst('c', { az: 'us-east-1c', type: 't2.small', attributes: { stack: 'dev' } }),
      inst('d', { az: 'us-east-1d', type: 'c5.xlarge', agentVersion: '1.10.0' }),
    ];
    const cases: Array<[string, string[]]> = [
      ['attribute:ecs.instance-type =~ t2.*', ['a', 'c']],
      ['attribute:ecs.instance-type == t2.*', ['a', 'c']],
      ['attribute:stack == prod', ['a', 'b']],
      ['attribute:stack exists', ['a', 'b', 'c']],
      ['attribute:stack !exists', ['d']],
      ['attribute:ecs.availability-zone in [us-east-1a, us-east-1d]', ['a', 'd']],
      ['attribute:ecs.availability-zone != us-east-1d', ['a', 'b', 'c']],
      ['attribute:ecs.instance-type =~ t2.* and attribute:stack == prod', ['a']],
      ['attribute:stack == dev or attribute:ecs.instance-type == c5.xlarge', ['c', 'd']],
      ['not (attribute:stack == prod)', ['c', 'd']],
      ['agentVersion < 1.20.0', ['d']],
      ['ec2InstanceId in [i-a, i-c]', ['a', 'c']],
    ];
    for (const [expr, want] of cases) {
      it(`${expr} => ${want.join(',')}`, () => {
        const f = fleet();
        const res = place(f, [memberOf(expr)], 8);
        expect(Object.keys(tally(res.placements)).sort()).to.deep.equal(want);
        // every instance fills up or is excluded; the excluded ones report ATTRIBUTE
        const excluded = f.filter((i) => !want.includes(i.name)).map((i) => ({ arn: i.arn, reason: 'ATTRIBUTE' }));
        expect(res.failures.filter((x) => x.reason === 'ATTRIBUTE')).to.deep.equal(res.unplaced ? excluded : []);
      });
    }

    it('several constraints must all hold', () => {
      const res = place(fleet(), [memberOf('attribute:stack exists'), memberOf('attribute:ecs.instance-type =~ t2.*'), DISTINCT], 3);
      expect(seq(res).sort()).to.deep.equal(['a', 'c']);
      expect(res.unplaced).to.equal(1);
    });

    it('no instance matches: every instance fails with ATTRIBUTE', () => {
      const f = fleet();
      const res = place(f, [memberOf('attribute:ecs.os-type == windows')], 1);
      expect(res.failures).to.deep.equal(f.map((i) => ({ arn: i.arn, reason: 'ATTRIBUTE' })));
    });

    it('task:group == X selects instances running a task of X (affinity)', () => {
      const f = [inst('a'), inst('b', { tasks: tasks(1, 'service:db') }), inst('c')];
      expect(tally(place(f, [memberOf('task:group == service:db')], 3).placements)).to.deep.equal({ b: 3 });
    });

    it('not(task:group == X) avoids them (anti-affinity)', () => {
      const f = [inst('a'), inst('b', { tasks: tasks(1, 'service:db') }), inst('c')];
      expect(Object.keys(tally(place(f, [memberOf('not(task:group == service:db)')], 4).placements)).sort()).to.deep.equal(['a', 'c']);
    });

    it('task:group counts tasks placed earlier in the same request', () => {
      const f = [inst('a'), inst('b'), inst('c')];
      // anti-affinity with itself = distinctInstance
      const res = place(f, [memberOf('task:group != service:web')], 4);
      expect(seq(res).sort()).to.deep.equal(['a', 'b', 'c']);
      expect(res.failures.map((x) => x.reason)).to.deep.equal(['ATTRIBUTE', 'ATTRIBUTE', 'ATTRIBUTE']);
      // affinity with itself: only instances that already got one qualify after the first
      const f2 = [inst('a', { tasks: tasks(1, 'service:web') }), inst('b')];
      expect(seq(place(f2, [memberOf('task:group == service:web')], 3))).to.deep.equal(['a', 'a', 'a']);
    });

    it('runningTasksCount counts tasks placed earlier in the same request', () => {
      const f = [inst('a', { tasks: tasks(1, 'family:x') }), inst('b')];
      const res = place(f, [memberOf('runningTasksCount < 2')], 4);
      expect(tally(res.placements)).to.deep.equal({ a: 1, b: 2 });
      expect(res.unplaced).to.equal(1);
    });

    it('agentConnected == false can never place (the filter runs first)', () => {
      const f = [inst('a', { agentConnected: false })];
      expect(place(f, [memberOf('agentConnected == false')], 1).failures.map((x) => x.reason)).to.deep.equal(['AGENT']);
    });
  });

  describe('validation', () => {
    it('memberOf without an expression', () => {
      expect(() => place([inst('a')], [{ type: 'memberOf' }], 1)).to.throw(EcsError, 'a memberOf constraint requires an expression');
    });

    it('an unknown constraint type', () => {
      expect(() => place([inst('a')], [{ type: 'sameInstance' as 'memberOf' }], 1)).to.throw(EcsError, 'placement constraint type must be distinctInstance or memberOf');
    });

    it('a malformed expression throws InvalidParameterException before placing', () => {
      try {
        place([inst('a')], [memberOf('attribute:stack == prod and )')], 1);
        expect.fail('should throw');
      } catch (e) {
        expect(e).to.be.instanceOf(EcsError);
        expect((e as EcsError).type).to.equal(ErrorType.InvalidParameter);
        expect((e as EcsError).field).to.equal('expression');
        expect((e as EcsError).bareMessage).to.match(/^unexpected token '\)' at position 28; expected a subject/);
      }
    });

    it('distinctInstance ignores an expression', () => {
      expect(seq(place([inst('a')], [{ type: 'distinctInstance', expression: 'whatever' }], 1))).to.deep.equal(['a']);
    });
  });
});
