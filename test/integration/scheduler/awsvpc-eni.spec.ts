/** ENIs of awsvpc tasks on EC2 (examples/scheduler/awsvpc-eni.yaml; docs/scheduler.md "ENIs"). */
import { expect } from 'chai';
import { resolve } from 'node:path';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { simulate } from '../../../controllers/simulation/runner.js';
import { taskEniLimit } from '../../../api/instance-types.js';

describe('awsvpc tasks and instance ENIs', () => {
  it('per instance type: maxEnis − 1, the trunking table with a trunk ENI, none for unknown types', () => {
    const rows: Array<[string | undefined, boolean, number | undefined]> = [
      ['c5.large', false, 2], // "you can typically only run two such tasks on this instance type"
      ['c5.large', true, 10], // "allows you to launch ten tasks on the container instance"
      ['m5.xlarge', true, 20],
      ['m5.4xlarge', false, 7],
      ['t3.medium', true, 2], // burstable types do not support trunking
      ['x9.huge', false, undefined],
      [undefined, false, undefined],
    ];
    for (const [type, trunk, want] of rows) expect(taskEniLimit(type, trunk), `${type} trunk=${trunk}`).to.equal(want);
  });

  it('a c5.large runs 2 awsvpc tasks, a trunked one 10; the rest are unplaceable with RESOURCE:ENI', () => {
    const r = simulate(loadManifests([resolve('examples/scheduler/awsvpc-eni.yaml')]), { sampleEveryMs: 30_000 });
    const last = r.samples.at(-1)!;
    expect(last.containerInstances.map((i) => [i.name, i.runningTasksCount])).to.deep.equal([
      ['i-plain', 2],
      ['i-trunk', 10],
    ]);
    expect(last.services[0]).to.include({ desiredCount: 14, runningCount: 12 });
    expect(r.events.some((e) => e.message.includes('The closest matching (container-instance i-plain) encountered error "RESOURCE:ENI".'))).to.equal(true);
    const task = r.resources.find((o) => o.kind === 'Task')!;
    const eni = task.status!.attachments![0];
    expect(eni).to.include({ type: 'ElasticNetworkInterface', status: 'ATTACHED' });
    expect(eni.details.map((d: any) => d.name)).to.deep.equal(['subnetId', 'networkInterfaceId', 'privateIPv4Address']);
    expect(eni.details[0].value).to.equal('subnet-0a1b2c3d');
  });
});
