/** `simulate --output table` (controllers/cli/simulate-output.ts): changes only, progress bars. */
import { expect } from 'chai';
import { progressBar, renderTimeline } from '../../../controllers/cli/simulate-output.js';
import type { SimulationResult } from '../../../controllers/simulation/runner.js';

const sample = (t: number, running: number) => ({
  t,
  services: [{ cluster: 'prod', name: 'web', desiredCount: 2, runningCount: running, pendingCount: 2 - running, deployments: [{ id: 'd', status: 'PRIMARY', taskDefinition: 'arn:task-definition/web:2', desiredCount: 2, runningCount: running, pendingCount: 2 - running, failedTasks: 0, rolloutState: 'IN_PROGRESS' }] }],
  containerInstances: [],
});

describe('simulate timeline', () => {
  it('progress bars: a cell per task, filled for running ones, scaled beyond 12', () => {
    expect(progressBar(4, 6)).to.equal('▇▇▇▇░░');
    expect(progressBar(2, 0)).to.equal('▇▇');
    expect(progressBar(0, 0)).to.equal('');
    expect(progressBar(50, 100)).to.equal('▇▇▇▇▇▇░░░░░░');
  });
  it('prints a sample line only when it changed, unless --every', () => {
    const r = { resources: [], events: [], samples: [sample(0, 0), sample(10, 0), sample(20, 2)] } as unknown as SimulationResult;
    const lines = (every: boolean) => renderTimeline(r, { every }).split('\n').filter((l) => l.includes('service prod/web'));
    expect(lines(false)).to.deep.equal([
      '  0m00s  service prod/web  desired=2 running=0 pending=2  [PRIMARY web:2 ░░ 0/2 +2p IN_PROGRESS]',
      '  0m20s  service prod/web  desired=2 running=2 pending=0  [PRIMARY web:2 ▇▇ 2/2 IN_PROGRESS]',
    ]);
    expect(lines(true)).to.have.length(3);
  });
});
