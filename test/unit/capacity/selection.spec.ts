/** Where an Auto Scaling group launches and what it terminates (controllers/autoscaling-group/selection.ts). */
import { expect } from 'chai';
import { launchZones, terminationVictims } from '../../../controllers/autoscaling-group/selection.js';
import type { AsgInstance } from '../../../controllers/autoscaling-group/types.js';

const T0 = Date.UTC(2026, 0, 1);
const inst = (id: string, az: string, launchMin: number, protectedFromScaleIn = false): AsgInstance => ({
  InstanceId: id,
  InstanceType: 'm5.large',
  AvailabilityZone: az,
  LifecycleState: 'InService',
  HealthStatus: 'Healthy',
  ProtectedFromScaleIn: protectedFromScaleIn,
  LaunchTime: new Date(T0 + launchMin * 60_000).toISOString(),
  Cluster: 'c',
});
const Z = ['a', 'b', 'c'];

describe('Auto Scaling group AZ balance', () => {
  const launches: Array<[string, AsgInstance[], number, string[]]> = [
    ['empty group: round robin in spec order', [], 4, ['a', 'b', 'c', 'a']],
    ['fills the emptiest AZ first', [inst('1', 'a', 0), inst('2', 'a', 0), inst('3', 'b', 0)], 3, ['c', 'b', 'c']],
    ['ignores instances in AZs no longer listed', [inst('1', 'x', 0)], 2, ['a', 'b']],
  ];
  for (const [name, active, n, want] of launches) it(`launch: ${name}`, () => expect(launchZones(Z, active, n)).to.deep.equal(want));
  it('launch: no AZs, no launches', () => expect(launchZones([], [], 2)).to.deep.equal([]));

  const victims: Array<[string, AsgInstance[], number, string[]]> = [
    ['AZ with the most instances, oldest first', [inst('a1', 'a', 0), inst('a2', 'a', 1), inst('b1', 'b', 0)], 1, ['a1']],
    ['keeps AZs balanced over several picks', [inst('a1', 'a', 0), inst('a2', 'a', 1), inst('b1', 'b', 0), inst('b2', 'b', 2), inst('c1', 'c', 5)], 3, ['a1', 'b1', 'a2']],
    ['never picks protected instances', [inst('a1', 'a', 0, true), inst('a2', 'a', 1, true), inst('b1', 'b', 3)], 2, ['b1']],
    ['ties on launch time go by id', [inst('a2', 'a', 0), inst('a1', 'a', 0)], 1, ['a1']],
  ];
  for (const [name, active, n, want] of victims) {
    it(`terminate: ${name}`, () => expect(terminationVictims(Z, active, n).map((i) => i.InstanceId)).to.deep.equal(want));
  }
});
