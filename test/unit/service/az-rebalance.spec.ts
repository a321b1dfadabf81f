/** Availability Zone rebalancing as a pure plan (controllers/service/az-rebalance.ts). */
import { expect } from 'chai';
import { planAzRebalance, type RebalanceInput } from '../../../controllers/service/az-rebalance.js';

const Z = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const tasks = (a: number, b: number, c: number, healthy = true) =>
  [...Array(a).fill('us-east-1a'), ...Array(b).fill('us-east-1b'), ...Array(c).fill('us-east-1c')].map((az, i) => ({ id: `t${String(i).padStart(2, '0')}`, az, healthy }));
const input = (over: Partial<RebalanceInput>): RebalanceInput => ({
  enabled: true,
  steady: true,
  zones: Z,
  tasks: tasks(2, 2, 2),
  pending: 0,
  desired: 6,
  maximumPercent: 200,
  minimumHealthyPercent: 100,
  inProgress: false,
  ...over,
});

describe('AZ rebalancing plan', () => {
  const rows: Array<[string, Partial<RebalanceInput>, Partial<ReturnType<typeof planAzRebalance>> & { eventKind?: string }]> = [
    ['balanced: nothing', {}, { extra: 0, inProgress: false }],
    ['disabled: nothing even when uneven', { enabled: false, tasks: tasks(4, 2, 0) }, { extra: 0, inProgress: false }],
    ['not steady (a deployment runs): nothing yet', { steady: false, tasks: tasks(4, 2, 0) }, { extra: 0, inProgress: false }],
    ['uneven 4/2/0: announce and start one in the emptiest zone', { tasks: tasks(4, 2, 0) }, { startIn: 'us-east-1c', extra: 1, inProgress: true, eventKind: 'started' }],
    ['the start is pending: wait', { tasks: tasks(4, 2, 0), pending: 1, inProgress: true }, { extra: 1, inProgress: true }],
    ['started task running but not healthy yet: wait', { tasks: [...tasks(4, 2, 0), { id: 'new', az: 'us-east-1c', healthy: false }], inProgress: true }, { extra: 1, inProgress: true }],
    ['started and healthy: stop one in the fullest zone', { tasks: [...tasks(4, 2, 0), { id: 'new', az: 'us-east-1c', healthy: true }], inProgress: true }, { extra: 0, inProgress: true }],
    ['now balanced 2/2/2 after the moves: completed', { tasks: tasks(2, 2, 2), inProgress: true }, { extra: 0, inProgress: false, eventKind: 'completed' }],
    ['no room above desired (100%): stop first when minimumHealthyPercent allows', { tasks: tasks(4, 2, 0), maximumPercent: 100, minimumHealthyPercent: 50 }, { extra: 0, inProgress: true, eventKind: 'started' }],
    ['100/100: nothing can move', { tasks: tasks(4, 2, 0), maximumPercent: 100, minimumHealthyPercent: 100 }, { extra: 0, eventKind: 'started' }],
    ['one zone only: nothing to balance', { zones: ['us-east-1a'], tasks: tasks(6, 0, 0) }, { extra: 0, inProgress: false }],
    ['3/2/2 is balanced (differ by at most one)', { tasks: tasks(3, 2, 2), desired: 7 }, { extra: 0, inProgress: false }],
  ];
  for (const [name, over, want] of rows) {
    it(name, () => {
      const p = planAzRebalance('web', input(over));
      const { eventKind, ...rest } = want;
      expect(p).to.include(rest);
      expect(p.event?.kind).to.equal(eventKind);
    });
  }

  it('the stop takes a task of the fullest zone; the messages are ECS\'s', () => {
    const p = planAzRebalance('web', input({ tasks: [...tasks(4, 2, 0), { id: 'new', az: 'us-east-1c', healthy: true }], inProgress: true }));
    expect(p.stop?.az).to.equal('us-east-1a');
    const start = planAzRebalance('web', input({ tasks: tasks(4, 2, 0) }));
    expect(start.event!.message).to.equal('service (web) is not AZ balanced with 4 tasks in us-east-1a, 2 in us-east-1b, and 0 in us-east-1c. AZ Rebalancing in progress.');
    const done = planAzRebalance('web', input({ tasks: tasks(2, 2, 2), inProgress: true }));
    expect(done.event!.message).to.equal('service (web) is AZ balanced with 2 tasks in us-east-1a, 2 tasks in us-east-1b, and 2 tasks in us-east-1c.');
  });
});
