import { expect } from 'chai';
import {
  capacityProviderReservation,
  desiredInstances,
  instanceIsEmpty,
  instancesNeeded,
  planManagedScaling,
  scaleInStep,
  scaleOutStep,
  type InstanceCapacity,
  type ManagedInstance,
  type ManagedScalingInput,
  type RunningInstanceCapacity,
  type TaskRequirement,
} from '../../../controllers/scaling-math/managed-scaling.js';

describe('scaling-math/managed-scaling', () => {
  describe('capacityProviderReservation', () => {
    const cases: [M: number, N: number, metric: number][] = [
      [9, 6, 150],
      [6, 6, 100],
      [3, 6, 50],
      [0, 5, 0],
      [1, 3, 100 / 3],
      [3, 0, 200],
      [1, 0, 200],
      [0, 0, 100],
    ];
    for (const [M, N, metric] of cases) {
      it(`M=${M}, N=${N} ⇒ ${metric}`, () => expect(capacityProviderReservation(M, N)).to.be.closeTo(metric, 1e-9));
    }
  });

  describe('desiredInstances', () => {
    const cases: [M: number, N: number, T: number, desired: number][] = [
      [9, 6, 90, 10],
      [6, 6, 100, 6],
      [10, 10, 75, 14],
      [7, 7, 70, 10],
      [3, 5, 100, 3],
      [1, 0, 100, 1],
      [1, 0, 1, 100],
      [0, 3, 100, 0],
      [0, 0, 50, 0],
    ];
    for (const [M, N, T, desired] of cases) {
      it(`M=${M}, N=${N}, T=${T} ⇒ ${desired}`, () => expect(desiredInstances(M, N, T)).to.equal(desired));
    }
  });

  describe('scaleOutStep', () => {
    const cases: [need: number, minStep: number, maxStep: number, step: number][] = [
      [1, 2, 10, 2], // smaller than the minimum step ⇒ the minimum step
      [5, 2, 10, 5],
      [15, 2, 10, 10], // capped by the maximum step
      [10000, 1, 10000, 10000],
      [3, 1, 1, 1],
      [0, 1, 10000, 0],
      [-2, 1, 10000, 0],
    ];
    for (const [need, minStep, maxStep, step] of cases) {
      it(`need ${need}, min ${minStep}, max ${maxStep} ⇒ ${step}`, () => expect(scaleOutStep(need, minStep, maxStep)).to.equal(step));
    }
  });

  describe('scaleInStep', () => {
    const cases: [excess: number, removable: number, current: number, maxStep: number, step: number][] = [
      [3, 3, 10, 10000, 3],
      [3, 1, 10, 10000, 1], // only empty instances
      [5, 5, 6, 10000, 3], // at most half the fleet
      [1, 5, 1, 10000, 1], // max(1, floor(1/2)) = 1
      [4, 4, 10, 2, 2], // maximumScalingStepSize
      [0, 4, 10, 10, 0], // never below the desired count
      [-2, 4, 10, 10, 0],
    ];
    for (const [excess, removable, current, maxStep, step] of cases) {
      it(`excess ${excess}, removable ${removable}, N ${current}, max ${maxStep} ⇒ ${step}`, () => {
        expect(scaleInStep({ excess, removable, current, maxStep })).to.equal(step);
      });
    }
  });

  describe('instanceIsEmpty', () => {
    const cases: [tasks: { daemon?: boolean }[], empty: boolean][] = [
      [[], true],
      [[{ daemon: true }, { daemon: true }], true],
      [[{ daemon: true }, { daemon: false }], false],
      [[{}], false],
    ];
    for (const [tasks, empty] of cases) {
      it(`${JSON.stringify(tasks)} ⇒ ${empty}`, () => expect(instanceIsEmpty(tasks)).to.equal(empty));
    }
  });

  describe('instancesNeeded', () => {
    const TYPE: InstanceCapacity = { cpu: 2048, memory: 7984 };
    const task = (cpu: number, memory: number, extra: Partial<TaskRequirement> = {}): TaskRequirement => ({ cpu, memory, ...extra });
    const running = (remainingCpu: number, remainingMemory: number, extra: Partial<RunningInstanceCapacity> = {}): RunningInstanceCapacity => ({
      remainingCpu,
      remainingMemory,
      ...extra,
    });

    const cases: {
      name: string;
      tasks: TaskRequirement[];
      type?: InstanceCapacity;
      running?: RunningInstanceCapacity[];
      M: number;
      newInstances: number;
      excluded?: number[];
      assignments?: (number | null)[];
    }[] = [
      { name: 'nothing at all', tasks: [], M: 0, newInstances: 0 },
      {
        name: 'no provisioning tasks: M = non-empty instances',
        tasks: [],
        running: [running(0, 0), running(100, 100), running(2048, 7984, { empty: true })],
        M: 2,
        newInstances: 0,
      },
      { name: 'two tasks per instance by CPU', tasks: [task(1024, 512), task(1024, 512), task(1024, 512), task(1024, 512)], M: 2, newInstances: 2 },
      { name: 'one task per instance by memory', tasks: [task(256, 5000), task(256, 5000), task(256, 5000)], M: 3, newInstances: 3 },
      {
        name: 'first-fit-decreasing packs big tasks first (first-fit in input order would need 3)',
        tasks: [task(600, 100), task(600, 100), task(1400, 100), task(1400, 100)],
        M: 2,
        newInstances: 2,
        assignments: [0, 1, 0, 1],
      },
      {
        name: 'tasks fill running instances before new ones',
        tasks: [task(512, 512), task(512, 512)],
        running: [running(1024, 1024), running(0, 0)],
        M: 2,
        newInstances: 0,
        assignments: [0, 0],
      },
      {
        name: 'an empty running instance that receives a task counts',
        tasks: [task(512, 512)],
        running: [running(2048, 7984, { empty: true }), running(2048, 7984, { empty: true })],
        M: 1,
        newInstances: 0,
        assignments: [0],
      },
      {
        name: 'the same static host port cannot share an instance',
        tasks: [task(128, 128, { tcpPorts: [80] }), task(128, 128, { tcpPorts: [80] }), task(128, 128, { tcpPorts: [80] })],
        M: 3,
        newInstances: 3,
      },
      {
        name: 'different static ports share an instance',
        tasks: [task(128, 128, { tcpPorts: [80] }), task(128, 128, { tcpPorts: [81] })],
        M: 1,
        newInstances: 1,
      },
      {
        name: 'TCP and UDP ports are separate',
        tasks: [task(128, 128, { tcpPorts: [53] }), task(128, 128, { udpPorts: [53] })],
        M: 1,
        newInstances: 1,
      },
      {
        name: 'a port in use on a running instance sends the task to a new one',
        tasks: [task(128, 128, { tcpPorts: [80] })],
        running: [running(2048, 7984, { usedTcpPorts: [22, 80] })],
        M: 2,
        newInstances: 1,
        assignments: [1],
      },
      {
        name: 'a task on a reserved agent port (22) fits nowhere and is excluded',
        tasks: [task(128, 128, { tcpPorts: [22] }), task(128, 128)],
        M: 1,
        newInstances: 1,
        excluded: [0],
        assignments: [null, 0],
      },
      {
        name: 'a task bigger than the instance type is excluded',
        tasks: [task(4096, 512), task(1024, 512)],
        M: 1,
        newInstances: 1,
        excluded: [0],
      },
      {
        name: '…unless a (bigger) running instance can take it',
        tasks: [task(4096, 512)],
        running: [running(8192, 30000, { empty: true })],
        M: 1,
        newInstances: 0,
        assignments: [0],
      },
      {
        name: 'if nothing fits, M stays at the busy instances (metric 100)',
        tasks: [task(99999, 1)],
        running: [running(0, 0), running(0, 0)],
        M: 2,
        newInstances: 0,
        excluded: [0],
      },
      {
        name: 'awsvpc tasks are limited by ENIs',
        tasks: [task(128, 128, { enis: 1 }), task(128, 128, { enis: 1 }), task(128, 128, { enis: 1 })],
        type: { cpu: 2048, memory: 7984, enis: 2 },
        M: 2,
        newInstances: 2,
      },
      {
        name: 'GPU tasks need a GPU instance type',
        tasks: [task(128, 128, { gpus: 1 })],
        M: 0,
        newInstances: 0,
        excluded: [0],
      },
      {
        name: 'GPU tasks pack by GPU count',
        tasks: [task(128, 128, { gpus: 1 }), task(128, 128, { gpus: 1 }), task(128, 128, { gpus: 1 })],
        type: { cpu: 8192, memory: 30000, gpus: 2 },
        M: 2,
        newInstances: 2,
      },
      {
        name: 'a task listing the same port twice is excluded',
        tasks: [task(128, 128, { tcpPorts: [80, 80] })],
        M: 0,
        newInstances: 0,
        excluded: [0],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const r = instancesNeeded(c.tasks, c.type ?? TYPE, c.running ?? []);
        expect(r.M, 'M').to.equal(c.M);
        expect(r.newInstances, 'newInstances').to.equal(c.newInstances);
        expect(r.excludedTasks, 'excluded').to.deep.equal(c.excluded ?? []);
        if (c.assignments) expect(r.assignments, 'assignments').to.deep.equal(c.assignments);
      });
    }
  });

  describe('planManagedScaling', () => {
    const NOW = Date.parse('2024-06-01T12:00:00Z');
    const old = (id: string, extra: Partial<ManagedInstance> = {}): ManagedInstance => ({
      id,
      launchedAt: NOW - 3600_000,
      empty: false,
      protected: true,
      ...extra,
    });
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => old(id));
    const base: ManagedScalingInput = {
      now: NOW,
      targetCapacity: 90,
      minStep: 1,
      maxStep: 10000,
      warmupSeconds: 300,
      M: 9,
      N: 6,
      instances: six,
      lowDatapoints: 0,
      currentDesired: 6,
      asgMin: 0,
      asgMax: 100,
    };
    const fiveWithThreeEmpty = [
      old('i-1'),
      old('i-2'),
      old('i-3', { empty: true, protected: false, launchedAt: NOW - 7200_000 }),
      old('i-4', { empty: true, protected: false, launchedAt: NOW - 5400_000 }),
      old('i-5', { empty: true, protected: false, launchedAt: NOW - 3600_000 }),
    ];
    const scaleIn: Partial<ManagedScalingInput> = {
      targetCapacity: 100,
      M: 2,
      N: 5,
      instances: fiveWithThreeEmpty,
      currentDesired: 5,
      lowDatapoints: 15,
    };

    const cases: { name: string; input: Partial<ManagedScalingInput>; metric: number; desired: number; reason: string; victims?: string[] }[] = [
      { name: 'worked example: M=9, N=6, T=90 ⇒ 150, desired 10', input: {}, metric: 150, desired: 10, reason: 'scale-out' },
      { name: 'maximumScalingStepSize caps the step', input: { maxStep: 2 }, metric: 150, desired: 8, reason: 'scale-out' },
      { name: 'minimumScalingStepSize raises a small step', input: { M: 7, targetCapacity: 100, minStep: 3 }, metric: 700 / 6, desired: 9, reason: 'scale-out' },
      { name: 'ASG max clamps the step', input: { asgMax: 8 }, metric: 150, desired: 8, reason: 'scale-out' },
      { name: 'ASG already at max', input: { asgMax: 6 }, metric: 150, desired: 6, reason: 'clamped-to-asg-bounds' },
      {
        name: 'an instance within instanceWarmupPeriod blocks scale-out',
        input: { instances: [...six.slice(1), old('new', { launchedAt: NOW - 299_000 })] },
        metric: 150,
        desired: 6,
        reason: 'scale-out-blocked-by-warmup',
      },
      {
        name: 'warm-up over exactly at launchedAt + warmup',
        input: { instances: [...six.slice(1), old('new', { launchedAt: NOW - 300_000 })] },
        metric: 150,
        desired: 10,
        reason: 'scale-out',
      },
      { name: 'warm-up 0 never blocks', input: { warmupSeconds: 0, instances: [old('x', { launchedAt: NOW })] }, metric: 150, desired: 10, reason: 'scale-out' },
      { name: 'desired already raised (instances launching)', input: { currentDesired: 10 }, metric: 150, desired: 10, reason: 'scale-out-in-progress' },
      { name: 'N=0, M>0 ⇒ 200 and launch', input: { M: 2, N: 0, instances: [], currentDesired: 0, targetCapacity: 100 }, metric: 200, desired: 2, reason: 'scale-out' },
      { name: 'N=0, M=0 ⇒ 100, nothing to do', input: { M: 0, N: 0, instances: [], currentDesired: 0 }, metric: 100, desired: 0, reason: 'at-target' },
      { name: 'at target', input: { M: 9, N: 10, currentDesired: 10 }, metric: 90, desired: 10, reason: 'at-target' },
      { name: 'a scale-out aborts scale-in (no victims)', input: { lowDatapoints: 30 }, metric: 150, desired: 10, reason: 'scale-out', victims: [] },
      { name: 'below target for 14 datapoints: wait', input: { ...scaleIn, lowDatapoints: 14 }, metric: 40, desired: 5, reason: 'scale-in-waiting-for-datapoints' },
      {
        name: 'below target for 15 datapoints: remove empty instances, oldest first, at most half the fleet',
        input: scaleIn,
        metric: 40,
        desired: 3,
        reason: 'scale-in',
        victims: ['i-3', 'i-4'],
      },
      { name: 'scale-in capped by maximumScalingStepSize', input: { ...scaleIn, maxStep: 1 }, metric: 40, desired: 4, reason: 'scale-in', victims: ['i-3'] },
      { name: 'scale-in stops at the ASG minimum', input: { ...scaleIn, asgMin: 4 }, metric: 40, desired: 4, reason: 'scale-in', victims: ['i-3'] },
      { name: 'ASG minimum forbids any scale-in', input: { ...scaleIn, asgMin: 5 }, metric: 40, desired: 5, reason: 'clamped-to-asg-bounds', victims: [] },
      {
        name: 'scale-in never goes below ceil(M×100/T)',
        input: { ...scaleIn, M: 4, targetCapacity: 100 },
        metric: 80,
        desired: 4,
        reason: 'scale-in',
        victims: ['i-3'],
      },
      {
        name: 'protected, busy and warming instances are not victims',
        input: {
          ...scaleIn,
          instances: [
            old('busy'),
            old('prot', { empty: true, protected: true }),
            old('warm', { empty: true, protected: false, launchedAt: NOW - 10_000 }),
            old('ok', { empty: true, protected: false }),
            old('busy2'),
          ],
        },
        metric: 40,
        desired: 4,
        reason: 'scale-in',
        victims: ['ok'],
      },
      {
        name: 'no removable instance',
        input: { ...scaleIn, instances: fiveWithThreeEmpty.map((i) => ({ ...i, protected: true })) },
        metric: 40,
        desired: 5,
        reason: 'scale-in-no-removable-instances',
      },
      {
        name: 'equal launch times fall back to id order',
        input: {
          ...scaleIn,
          instances: [old('z', { empty: true, protected: false }), old('y', { empty: true, protected: false }), old('x'), old('w'), old('v')],
          maxStep: 1,
        },
        metric: 40,
        desired: 4,
        reason: 'scale-in',
        victims: ['y'],
      },
      {
        name: 'below target but no whole instance to remove',
        input: { ...scaleIn, M: 9, N: 10, targetCapacity: 95, currentDesired: 10 },
        metric: 90,
        desired: 10,
        reason: 'at-target',
      },
      { name: 'desired outside the ASG bounds is clamped', input: { M: 9, N: 10, currentDesired: 12, asgMax: 11 }, metric: 90, desired: 11, reason: 'clamped-to-asg-bounds' },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const plan = planManagedScaling({ ...base, ...c.input });
        expect(plan.metric, 'metric').to.be.closeTo(c.metric, 1e-9);
        expect(plan.desiredCapacity, 'desiredCapacity').to.equal(c.desired);
        expect(plan.reason, 'reason').to.equal(c.reason);
        expect(plan.scaleInVictims, 'victims').to.deep.equal(c.victims ?? []);
      });
    }

    it('is pure: the same input gives the same plan and is not mutated', () => {
      const input: ManagedScalingInput = { ...base, ...scaleIn } as ManagedScalingInput;
      const snapshot = JSON.stringify(input);
      expect(planManagedScaling(input)).to.deep.equal(planManagedScaling(input));
      expect(JSON.stringify(input)).to.equal(snapshot);
    });
  });
});
