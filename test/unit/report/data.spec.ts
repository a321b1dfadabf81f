/** The rows the report's charts plot, the CSV, and the hover titles (pure parts of controllers/cli/report). */
import { expect } from 'chai';
import { deploymentBands, ganttSegments, scalingActivities, serviceCounts, serviceEvents, capacitySeries, percentSeries } from '../../../controllers/cli/report/data.js';
import { renderCsv, CSV_COLUMNS } from '../../../controllers/cli/report/csv.js';
import { reportDomain } from '../../../controllers/cli/report/html.js';
import { withHoverTitles } from '../../../controllers/cli/report/render-svg.js';
import { mainChartSpec, MAX_SERVICE_PANELS } from '../../../controllers/cli/report/specs.js';
import type { SimulationResult } from '../../../controllers/simulation/runner.js';
import type { Sample } from '../../../controllers/simulation/samples.js';

const dep = (id: string, status: string, td: string, rolloutState: string) => ({
  id,
  status,
  taskDefinition: `arn:aws:ecs:us-east-1:123456789012:task-definition/${td}`,
  desiredCount: 2,
  runningCount: 2,
  pendingCount: 0,
  failedTasks: 0,
  rolloutState,
  rolloutStateReason: '',
});

function sample(t: number, deployments: ReturnType<typeof dep>[], extra: Partial<Sample> = {}): Sample {
  return {
    t,
    services: [{ cluster: 'prod', name: 'web', desiredCount: 2, runningCount: 2, pendingCount: 0, status: 'ACTIVE', tasks: { RUNNING: 2 }, healthyCount: 1, cpuUtilization: 0, memoryUtilization: 0, deployments, serviceDeployments: [] }],
    containerInstances: [],
    targetGroups: [],
    capacityProviders: [],
    ...extra,
  };
}

const result = (samples: Sample[], more: Partial<SimulationResult> = {}): SimulationResult => ({ resources: [], samples, events: [], busEvents: [], summary: undefined as any, tasks: [], untilSeconds: samples.at(-1)!.t, ...more });

describe('report data', () => {
  it('counts: desired, running, pending and healthy per service per sample, time in minutes', () => {
    const rows = serviceCounts(result([sample(0, []), sample(90, [])]));
    expect(rows.filter((r) => r.min === 1.5).map((r) => [r.series, r.value])).to.deep.equal([['desired', 2], ['running', 2], ['pending', 0], ['healthy', 1]]);
  });

  it('deployment bands: one per stretch of the same PRIMARY deployment and rolloutState, up to the end of the run', () => {
    const r = result(
      [
        sample(0, [dep('d1', 'PRIMARY', 'web:1', 'IN_PROGRESS')]),
        sample(60, [dep('d1', 'PRIMARY', 'web:1', 'COMPLETED')]),
        sample(120, [dep('d1', 'PRIMARY', 'web:1', 'COMPLETED')]),
        sample(180, [dep('d2', 'PRIMARY', 'web:2', 'IN_PROGRESS'), dep('d1', 'ACTIVE', 'web:1', 'COMPLETED')]),
        sample(240, [dep('d2', 'PRIMARY', 'web:2', 'FAILED')]),
      ],
      { untilSeconds: 300 },
    );
    expect(deploymentBands(r).map((b) => [b.label, b.start, b.end])).to.deep.equal([
      ['web:1 IN_PROGRESS', 0, 1],
      ['web:1 COMPLETED', 1, 3],
      ['web:2 IN_PROGRESS', 3, 4],
      ['web:2 FAILED', 4, 5],
    ]);
  });

  it('a service that disappears closes its band at that sample', () => {
    const r = result([sample(0, [dep('d1', 'PRIMARY', 'web:1', 'COMPLETED')]), { ...sample(60, []), services: [] }], { untilSeconds: 120 });
    expect(deploymentBands(r).map((b) => [b.start, b.end])).to.deep.equal([[0, 1]]);
  });

  it('task Gantt: PROVISIONING → PENDING → RUNNING → STOPPING segments, grouped by instance', () => {
    const r = result([sample(0, [])], {
      untilSeconds: 600,
      tasks: [
        { cluster: 'prod', name: 'bbbbbbbbbbbb', service: 'web', deploymentId: 'ecs-svc/123456789', taskDefinition: 'web:1', containerInstance: 'i-b', lastStatus: 'RUNNING', createdAt: 0, pullStartedAt: 0, startedAt: 5 },
        { cluster: 'prod', name: 'aaaaaaaaaaaa', service: 'web', deploymentId: 'ecs-svc/123456789', taskDefinition: 'web:1', containerInstance: 'i-a', lastStatus: 'STOPPED', createdAt: 0, pullStartedAt: 60, startedAt: 65, stoppingAt: 300, stoppedAt: 301, stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'scale-in' },
        { cluster: 'prod', name: 'cccccccccccc', taskDefinition: 'web:2', lastStatus: 'STOPPED', createdAt: 120, stoppedAt: 121, stopCode: 'TaskFailedToStart' },
      ],
    });
    const segs = ganttSegments(r);
    expect(segs.map((s) => [s.row, s.phase, s.start, s.end])).to.deep.equal([
      ['i-a · aaaaaaaa', 'PROVISIONING', 0, 1],
      ['i-a · aaaaaaaa', 'PENDING', 1, 1.0833],
      ['i-a · aaaaaaaa', 'RUNNING', 1.0833, 5],
      ['i-a · aaaaaaaa', 'STOPPING', 5, 5.0167],
      ['i-b · bbbbbbbb', 'PENDING', 0, 0.0833],
      ['i-b · bbbbbbbb', 'RUNNING', 0.0833, 10],
      ['unplaced · cccccccc', 'PROVISIONING', 2, 2.0167],
    ]);
    expect(segs[0].deployment).to.equal('web:1 (456789)');
    expect(segs[3].text).to.contain('scale-in');
  });

  it('instances by state, group desired capacity, utilisation and reservation only where there is data', () => {
    const s = (t: number, cpu: number, reservation: number | null): Sample => ({
      ...sample(t, []),
      services: [{ ...sample(t, []).services[0], cpuUtilization: cpu }],
      containerInstances: [
        { cluster: 'prod', name: 'i-a', status: 'ACTIVE', agentConnected: true, runningTasksCount: 1, remainingResources: { cpu: 0, memory: 0 } },
        { cluster: 'prod', name: 'i-b', status: 'DRAINING', agentConnected: true, runningTasksCount: 0, remainingResources: { cpu: 0, memory: 0 } },
      ],
      capacityProviders: [{ name: 'cp', reservation, targetCapacity: 100, desiredCapacity: 2 }],
    });
    const r = result([s(0, 0, null), s(60, 90, 150)]);
    expect(capacitySeries(r).filter((x) => x.min === 1)).to.deep.equal([
      { min: 1, series: 'instances ACTIVE', value: 1 },
      { min: 1, series: 'instances DRAINING', value: 1 },
      { min: 1, series: 'cp group desired capacity', value: 2 },
    ]);
    expect(percentSeries(r)).to.deep.equal([
      { min: 0, series: 'prod/web CPU utilisation', value: 0 },
      { min: 1, series: 'prod/web CPU utilisation', value: 90 },
      { min: 1, series: 'cp CapacityProviderReservation', value: 150 },
    ]);
  });

  it('scaling activities: Application Auto Scaling, capacity provider and Auto Scaling group events', () => {
    const r = result([sample(0, [])], {
      events: [
        { t: 300, kind: 'ScalableTarget', name: 'web', cluster: '', message: 'desired count 2 → 4' },
        { t: 300, kind: 'Service', name: 'web', cluster: 'prod', message: 'has started 2 tasks' },
        { t: 360, kind: 'AutoScalingGroup', name: 'asg', cluster: '', message: 'launching i-1' },
      ],
    });
    expect(scalingActivities(r).map((a) => a.text)).to.deep.equal(['5m00s ScalableTarget web: desired count 2 → 4', '6m00s AutoScalingGroup asg: launching i-1']);
  });

  it("service events: the circuit breaker's failure (ECS's wording) is its own category", () => {
    const r = result([sample(0, [])], {
      events: [
        { t: 60, kind: 'Service', name: 'web', cluster: 'prod', message: '(service web) has started 4 tasks: (task a).' },
        { t: 65, kind: 'Service', name: 'web', cluster: 'prod', message: '(service web) (deployment ecs-svc/95) deployment failed: rolling back to deployment ecs-svc/44.' },
        { t: 70, kind: 'Service', name: 'web', cluster: 'prod', message: '(service web) (deployment ecs-svc/95) deployment failed: tasks failed to start.' },
      ],
    });
    expect(serviceEvents(r).map((e) => [e.service, e.category, e.text.slice(0, 5)])).to.deep.equal([
      ['prod/web', 'event', '1m00s'],
      ['prod/web', 'deployment failed', '1m05s'],
      ['prod/web', 'deployment failed', '1m10s'],
    ]);
  });

  it('every run of a report shares one time axis: 0 to the longest run', () => {
    const a = { name: 'a', result: result([sample(0, [])], { untilSeconds: 600 }) };
    const b = { name: 'b', result: result([sample(0, [])], { untilSeconds: 900 }) };
    expect(reportDomain([a, b])).to.deep.equal([0, 15]);
  });

  it('the main chart draws at most MAX_SERVICE_PANELS services and names how many it left out', () => {
    const many = sample(0, []);
    many.services = Array.from({ length: MAX_SERVICE_PANELS + 3 }, (_, i) => ({ ...many.services[0], name: `s${String(i).padStart(2, '0')}` }));
    const spec = mainChartSpec(result([many], { untilSeconds: 60 }), [0, 1]);
    expect(spec.vconcat).to.have.length(MAX_SERVICE_PANELS + 1);
    expect(spec.vconcat.at(-1).title.text).to.match(/^… and 3 more services/);
  });

  it('csv: a header and one row per sample and service, quoted where needed', () => {
    const r = result([sample(0, [dep('d1', 'PRIMARY', 'web:1', 'IN_PROGRESS')]), sample(10, [dep('d1', 'PRIMARY', 'web:1', 'COMPLETED')])]);
    r.samples[1].services[0].name = 'we,b';
    const lines = renderCsv(r).split('\r\n');
    expect(lines[0]).to.equal(CSV_COLUMNS.join(','));
    expect(lines[1]).to.equal('0,prod,web,2,2,0,1,0,0,1,web:1,IN_PROGRESS,0,0,0');
    expect(lines[2]).to.equal('10,prod,"we,b",2,2,0,1,0,0,1,web:1,COMPLETED,0,0,0');
    expect(lines).to.have.length(4);
  });

  it('hover text: a labelled mark gets an SVG <title>, other marks are left alone', () => {
    const svg = '<g><path aria-label="5m00s a &amp; b" role="graphics-symbol" d="M0,0"/><path d="M1,1"/></g>';
    expect(withHoverTitles(svg)).to.equal('<g><path role="graphics-symbol" d="M0,0"><title>5m00s a &amp; b</title></path><path d="M1,1"/></g>');
  });
});
