import { expect } from 'chai';
import { EcsError } from '../../../api/errors.js';
import { placeTasks, RESERVED_TCP_PORTS, type InstanceView, type PlacementRequest, type TaskRequirements } from '../../../controllers/placement/index.js';
import { inst, noRng, req, snapshot, tasks } from './helpers.js';

function place(instances: InstanceView[], task: Partial<TaskRequirements> = {}, count = 1, over: Partial<PlacementRequest> = {}) {
  return placeTasks({ instances, task: req(task), count, constraints: [], strategy: [], rng: noRng, ...over });
}

/** Used-port set covering the whole dynamic range except `free`. */
function rangeUsedExcept(...free: number[]): Set<number> {
  const s = new Set<number>(RESERVED_TCP_PORTS);
  for (let p = 32768; p <= 61000; p++) if (!free.includes(p)) s.add(p);
  return s;
}

describe('placement/resource filter and failures', () => {
  describe('first reason that excludes an instance', () => {
    const cases: Array<[string, Partial<InstanceView>, Partial<TaskRequirements>, string | null]> = [
      ['fits', {}, {}, null],
      ['exact cpu and memory fit', { remainingCpu: 256, remainingMemory: 512 }, {}, null],
      ['cpu short by one unit', { remainingCpu: 255 }, {}, 'RESOURCE:CPU'],
      ['memory short by one MiB', { remainingMemory: 511 }, {}, 'RESOURCE:MEMORY'],
      ['cpu before memory', { remainingCpu: 0, remainingMemory: 0 }, {}, 'RESOURCE:CPU'],
      ['zero-cpu task on a full-cpu instance', { remainingCpu: 0 }, { cpu: 0 }, null],
      ['unknown (NaN) remaining cpu', { remainingCpu: Number.NaN }, {}, 'RESOURCE:CPU'],
      ['unknown (NaN) remaining memory', { remainingMemory: Number.NaN }, {}, 'RESOURCE:MEMORY'],
      ['DRAINING', { status: 'DRAINING' }, {}, 'DRAINING'],
      ['INACTIVE', { status: 'INACTIVE' }, {}, 'INACTIVE'],
      ['REGISTERING counts as INACTIVE', { status: 'REGISTERING' }, {}, 'INACTIVE'],
      ['status before agent and resources', { status: 'DRAINING', agentConnected: false, remainingCpu: 0 }, {}, 'DRAINING'],
      ['agent disconnected', { agentConnected: false }, {}, 'AGENT'],
      ['agent before resources', { agentConnected: false, remainingMemory: 0 }, {}, 'AGENT'],
      ['static tcp port in use', { usedTcpPorts: new Set([80]) }, { staticTcpPorts: [80] }, 'RESOURCE:PORTS'],
      ['static tcp port free', { usedTcpPorts: new Set([81]) }, { staticTcpPorts: [80] }, null],
      ['reserved port 22', {}, { staticTcpPorts: [22] }, 'RESOURCE:PORTS'],
      ['reserved agent port 51678', {}, { staticTcpPorts: [51678] }, 'RESOURCE:PORTS'],
      ['one of several static ports in use', { usedTcpPorts: new Set([443]) }, { staticTcpPorts: [80, 443] }, 'RESOURCE:PORTS'],
      ['tcp port in use does not block udp', { usedTcpPorts: new Set([53]) }, { staticUdpPorts: [53] }, null],
      ['static udp port in use', { usedUdpPorts: new Set([53]) }, { staticUdpPorts: [53] }, 'RESOURCE:PORTS_UDP'],
      ['tcp before udp', { usedTcpPorts: new Set([53]), usedUdpPorts: new Set([53]) }, { staticTcpPorts: [53], staticUdpPorts: [53] }, 'RESOURCE:PORTS'],
      ['memory before ports', { remainingMemory: 0, usedTcpPorts: new Set([80]) }, { staticTcpPorts: [80] }, 'RESOURCE:MEMORY'],
      ['dynamic tcp range exhausted', { usedTcpPorts: rangeUsedExcept() }, { dynamicTcpPorts: 1 }, 'RESOURCE:PORTS'],
      ['dynamic tcp: one free port, two needed', { usedTcpPorts: rangeUsedExcept(40000) }, { dynamicTcpPorts: 2 }, 'RESOURCE:PORTS'],
      ['dynamic tcp: two free ports, two needed', { usedTcpPorts: rangeUsedExcept(40000, 50000) }, { dynamicTcpPorts: 2 }, null],
      ['dynamic tcp: static port takes the last free one', { usedTcpPorts: rangeUsedExcept(40000, 50000) }, { dynamicTcpPorts: 2, staticTcpPorts: [40000] }, 'RESOURCE:PORTS'],
      ['dynamic udp range exhausted', { usedUdpPorts: rangeUsedExcept() }, { dynamicUdpPorts: 1 }, 'RESOURCE:PORTS_UDP'],
      ['ports outside the range do not reduce dynamic capacity', { usedTcpPorts: new Set(Array.from({ length: 30000 }, (_, k) => k + 1)) }, { dynamicTcpPorts: 3 }, null],
    ];
    for (const [name, instOver, taskOver, reason] of cases) {
      it(`${name} => ${reason ?? 'placed'}`, () => {
        const i = inst('ci-1', instOver);
        const res = place([i], taskOver);
        if (reason === null) {
          expect(res.placements.map((p) => p.instance)).to.deep.equal(['ci-1']);
          expect(res.failures).to.deep.equal([]);
          expect(res.unplaced).to.equal(0);
        } else {
          expect(res.placements).to.deep.equal([]);
          expect(res.failures).to.deep.equal([{ arn: i.arn, reason }]);
          expect(res.unplaced).to.equal(1);
        }
      });
    }
  });

  it('reports one failure per instance, in input order, when a task cannot be placed', () => {
    const fleet = [
      inst('a', { remainingCpu: 100 }),
      inst('b', { remainingMemory: 100 }),
      inst('c', { status: 'DRAINING' }),
      inst('d', { agentConnected: false }),
      inst('e', { usedTcpPorts: new Set([80]) }),
      inst('f', { usedUdpPorts: new Set([53]) }),
    ];
    const res = place(fleet, { staticTcpPorts: [80], staticUdpPorts: [53] }, 2);
    expect(res.unplaced).to.equal(2);
    expect(res.failures).to.deep.equal([
      { arn: fleet[0].arn, reason: 'RESOURCE:CPU' },
      { arn: fleet[1].arn, reason: 'RESOURCE:MEMORY' },
      { arn: fleet[2].arn, reason: 'DRAINING' },
      { arn: fleet[3].arn, reason: 'AGENT' },
      { arn: fleet[4].arn, reason: 'RESOURCE:PORTS' },
      { arn: fleet[5].arn, reason: 'RESOURCE:PORTS_UDP' },
    ]);
  });

  it('updates its working copy between placements and stops at the first task that does not fit', () => {
    const fleet = [inst('a', { remainingCpu: 1024, remainingMemory: 8192 }), inst('b', { remainingCpu: 4096, remainingMemory: 1024 })];
    const res = place(fleet, { cpu: 256, memory: 512 }, 10);
    // a: 4 by cpu, b: 2 by memory
    expect(res.placements).to.have.length(6);
    expect(res.unplaced).to.equal(4);
    expect(res.failures).to.deep.equal([
      { arn: fleet[0].arn, reason: 'RESOURCE:CPU' },
      { arn: fleet[1].arn, reason: 'RESOURCE:MEMORY' },
    ]);
  });

  it('a static host port is taken by the first task placed on the instance', () => {
    const fleet = [inst('a'), inst('b')];
    const res = place(fleet, { staticTcpPorts: [80] }, 3);
    expect(res.placements.map((p) => p.instance).sort()).to.deep.equal(['a', 'b']);
    expect(res.unplaced).to.equal(1);
    expect(res.failures.map((f) => f.reason)).to.deep.equal(['RESOURCE:PORTS', 'RESOURCE:PORTS']);
  });

  it('a static udp port is taken by the first task placed on the instance', () => {
    const res = place([inst('a')], { staticUdpPorts: [514] }, 2);
    expect(res.placements).to.have.length(1);
    expect(res.failures.map((f) => f.reason)).to.deep.equal(['RESOURCE:PORTS_UDP']);
  });

  describe('dynamic host ports', () => {
    it('allocates the lowest free ports of 32768–61000, per task and per instance', () => {
      const fleet = [inst('a', { usedTcpPorts: new Set([22, 32768, 32770]) })];
      const res = place(fleet, { dynamicTcpPorts: 2 }, 3);
      expect(res.placements.map((p) => p.tcpHostPorts)).to.deep.equal([
        [32769, 32771],
        [32772, 32773],
        [32774, 32775],
      ]);
      expect(res.placements.map((p) => p.udpHostPorts)).to.deep.equal([[], [], []]);
    });

    it('skips static ports of the task that fall in the range', () => {
      const res = place([inst('a')], { staticTcpPorts: [32768], dynamicTcpPorts: 1 }, 1);
      expect(res.placements[0].tcpHostPorts).to.deep.equal([32769]);
    });

    it('allocates tcp and udp independently', () => {
      const fleet = [inst('a', { usedTcpPorts: new Set([32768]), usedUdpPorts: new Set([32768, 32769]) })];
      const res = place(fleet, { dynamicTcpPorts: 1, dynamicUdpPorts: 2 }, 2);
      expect(res.placements).to.deep.equal([
        { instance: 'a', tcpHostPorts: [32769], udpHostPorts: [32770, 32771] },
        { instance: 'a', tcpHostPorts: [32770], udpHostPorts: [32772, 32773] },
      ]);
    });

    it('places until the range runs out, then fails with RESOURCE:PORTS', () => {
      const fleet = [inst('a', { usedTcpPorts: rangeUsedExcept(33000, 34000, 35000), remainingCpu: 1e6, remainingMemory: 1e6 })];
      const res = place(fleet, { dynamicTcpPorts: 1 }, 5);
      expect(res.placements.map((p) => p.tcpHostPorts[0])).to.deep.equal([33000, 34000, 35000]);
      expect(res.unplaced).to.equal(2);
      expect(res.failures).to.deep.equal([{ arn: fleet[0].arn, reason: 'RESOURCE:PORTS' }]);
    });

    it('skips an instance whose dynamic range is exhausted even when the strategy prefers it', () => {
      const fleet = [inst('full', { remainingMemory: 600, usedTcpPorts: rangeUsedExcept() }), inst('roomy', { remainingMemory: 8000 })];
      const res = place(fleet, { dynamicTcpPorts: 1 }, 2, { strategy: [{ type: 'binpack', field: 'memory' }] });
      expect(res.placements.map((p) => p.instance)).to.deep.equal(['roomy', 'roomy']);
      expect(res.failures).to.deep.equal([]);
    });

    it('a dynamic port shortage is reported before udp and constraint reasons', () => {
      const fleet = [
        inst('tcp-short-and-attr', { usedTcpPorts: rangeUsedExcept(), attributes: { stack: 'dev' } }),
        inst('udp-short-and-attr', { usedUdpPorts: rangeUsedExcept(), attributes: { stack: 'dev' } }),
        inst('tcp-short-and-static-udp', { usedTcpPorts: rangeUsedExcept(), usedUdpPorts: new Set([53]) }),
        inst('only-attr', { attributes: { stack: 'dev' } }),
        inst('cpu', { remainingCpu: 0, usedTcpPorts: rangeUsedExcept() }),
      ];
      const res = place(fleet, { dynamicTcpPorts: 1, dynamicUdpPorts: 1, staticUdpPorts: [53] }, 1, {
        constraints: [{ type: 'memberOf', expression: 'attribute:stack == prod' }],
      });
      expect(res.failures.map((f) => f.reason)).to.deep.equal(['RESOURCE:PORTS', 'RESOURCE:PORTS_UDP', 'RESOURCE:PORTS', 'ATTRIBUTE', 'RESOURCE:CPU']);
    });

    it('many dynamic ports per instance stay unique', () => {
      const fleet = [inst('a', { remainingCpu: 1e6, remainingMemory: 1e6 })];
      const res = place(fleet, { dynamicTcpPorts: 3 }, 200);
      const all = res.placements.flatMap((p) => p.tcpHostPorts);
      expect(all).to.have.length(600);
      expect(new Set(all).size).to.equal(600);
      expect(Math.min(...all)).to.equal(32768);
      expect(Math.max(...all)).to.equal(32768 + 599);
    });
  });

  it('never mutates its input', () => {
    const fleet = [inst('a', { tasks: tasks(2, 'service:web') }), inst('b', { az: 'us-east-1b' })];
    const before = snapshot(fleet);
    const request = { instances: fleet, task: req({ dynamicTcpPorts: 2, staticTcpPorts: [8080] }), count: 2, constraints: [], strategy: [], rng: noRng };
    const reqBefore = JSON.stringify(request.task);
    placeTasks(request);
    placeTasks({ ...request, constraints: [{ type: 'distinctInstance' }, { type: 'memberOf', expression: 'runningTasksCount < 10' }], strategy: [{ type: 'spread', field: 'instanceId' }] });
    expect(snapshot(fleet)).to.equal(before);
    expect(JSON.stringify(request.task)).to.equal(reqBefore);
  });

  it('count 0 places nothing and reports nothing', () => {
    expect(place([inst('a')], {}, 0)).to.deep.equal({ placements: [], failures: [], unplaced: 0 });
  });

  it('an empty fleet leaves every task unplaced without failures', () => {
    expect(place([], {}, 3)).to.deep.equal({ placements: [], failures: [], unplaced: 3 });
  });

  for (const bad of [-1, 1.5, Number.NaN]) {
    it(`rejects count ${bad}`, () => {
      expect(() => place([inst('a')], {}, bad)).to.throw(EcsError, /non-negative integer/);
    });
  }

  it('partial success keeps the placements made before the failure', () => {
    const res = place([inst('a', { remainingCpu: 512 })], {}, 3);
    expect(res.placements.map((p) => p.instance)).to.deep.equal(['a', 'a']);
    expect(res.unplaced).to.equal(1);
    expect(res.failures).to.deep.equal([{ arn: inst('a').arn, reason: 'RESOURCE:CPU' }]);
  });
});
