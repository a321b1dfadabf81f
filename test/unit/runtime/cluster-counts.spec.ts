import 'reflect-metadata';
import { expect } from 'chai';
import { makeKey } from '../../../api/meta.js';
import { clusterCounters } from '../../../controllers/cluster/counts.js';
import { countAll } from '../../../controllers/cluster/plan.js';
import { Simulation } from '../../../controllers/simulation/runner.js';
import { fleetDocs } from '../../bench/workloads.js';

describe('cluster counters kept from the write stream', () => {
  it('equal a count from scratch at every second of a fleet starting, losing an instance and a service', () => {
    const sim = new Simulation(fleetDocs({ instances: 20, services: 6, tasksPerService: 5 }), { sampleEveryMs: 3600_000 });
    const store = sim.app.store;
    const check = () => {
      const fresh = countAll(['ContainerInstance', 'Task', 'Service'].flatMap((k) => store.list(k, { cluster: 'bench' })));
      expect({ ...clusterCounters(store).of('bench') }).to.deep.equal(fresh);
      return fresh;
    };
    sim.start();
    check(); // counted from the store on first use, incremental from then on
    let sawRunning = 0;
    for (let t = 1000; t <= 60_000; t += 1000) {
      sim.runUntil(t);
      sawRunning = Math.max(sawRunning, check().runningTasksCount);
      if (t === 20_000) store.delete('ContainerInstance', makeKey('bench', 'i-000003'));
      if (t === 25_000) store.delete('Service', makeKey('bench', 'svc-0001'));
    }
    expect(sawRunning).to.equal(30);
    // The status the cluster loop wrote agrees.
    const st = store.get('Cluster', 'bench')!.status;
    expect(st.runningTasksCount).to.equal(clusterCounters(store).of('bench').runningTasksCount);
  });
});
