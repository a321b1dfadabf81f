import { expect } from 'chai';
import { benchPlacement, buildFleet } from '../../../controllers/placement/bench-placement.js';

describe('placement/bench-placement (smoke)', () => {
  it('builds a seeded fleet deterministically', () => {
    const a = buildFleet(50);
    const b = buildFleet(50);
    expect(a.map((i) => [i.name, i.attributes['ecs.instance-type'], i.remainingMemory])).to.deep.equal(b.map((i) => [i.name, i.attributes['ecs.instance-type'], i.remainingMemory]));
    expect(new Set(a.map((i) => i.attributes['ecs.availability-zone'])).size).to.equal(3);
  });

  it('places every task, in one request and in batches', () => {
    expect(benchPlacement(100, 500).placed).to.equal(500);
    const batched = benchPlacement(100, 500, { batch: 10 });
    expect(batched.placed).to.equal(500);
    expect(batched.tasksPerSecond).to.be.greaterThan(0);
  });
});
