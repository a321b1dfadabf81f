/**
 * The CloudWatch alarm loop, keyed by MetricAlarm name: once per minute it samples the alarm's metrics
 * (MetricSource: queues, services, the scenario's load), asks the pure plan (plan.ts) and writes StateValue.
 * A step scaling policy named in AlarmActions reads that state (controllers/autoscaling).
 */
import { inject, injectable } from '../runtime/di.js';
import { notSimulatedReport } from '../../api/not-simulated.js';
import type { ResourceStore } from '../../store/store.js';
import type { Clock } from '../runtime/clock.js';
import type { ReconcileOutcome, Reconciler } from '../runtime/controller.js';
import type { EventRecorder } from '../runtime/events.js';
import { TOKENS } from '../runtime/tokens.js';
import { specDefaults } from '../shared/defaults.js';
import type { LoadModel } from '../shared/load-model.js';
import { MetricSource, type MetricQuery } from '../shared/metric-source.js';
import { writeStatus } from '../shared/status.js';
import { alarmQuery, planMetricAlarm, SINGLE } from './plan.js';

@injectable()
export class MetricAlarmReconciler implements Reconciler {
  private readonly source: MetricSource;

  constructor(
    @inject(TOKENS.Store) private readonly store: ResourceStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Events) private readonly events: EventRecorder,
    @inject(TOKENS.Metrics) load: LoadModel,
  ) {
    this.source = new MetricSource(store, load);
  }

  reconcile(key: string): ReconcileOutcome {
    const alarm = this.store.get('MetricAlarm', key);
    if (!alarm || alarm.metadata.deletionTimestamp) return;
    const now = this.clock.now();
    const spec = specDefaults<any>('MetricAlarm', alarm.spec, { name: alarm.metadata.name });
    const gen = alarm.metadata.generation ?? 1;
    const plan = planMetricAlarm({
      now,
      name: alarm.metadata.name,
      generation: gen,
      spec,
      status: alarm.status ?? {},
      sampleInputs: () => {
        const q = alarmQuery(spec);
        const out: Record<string, number | null> = {};
        for (const id of Object.keys(q.inputs)) {
          const metric = id === SINGLE ? spec : (spec.Metrics as MetricQuery[]).find((m) => m.Id === id)!.MetricStat!.Metric;
          const s = this.source.sample(metric, 'Average'); // the raw minute value; the plan applies the statistic per period
          if ('unsupported' in s) return s;
          out[id] = s.value;
        }
        return out;
      },
    });
    const r = notSimulatedReport('MetricAlarm', alarm.spec, plan.status.conditions, gen, now);
    plan.status.conditions = r.conditions;
    writeStatus(this.store, alarm, plan.status);
    if (r.event) this.events.record(alarm, r.event.reason, r.event.message, r.event.type);
    if (plan.transition) {
      const t = plan.transition;
      this.events.record(alarm, 'AlarmStateChange', `${t.from} -> ${t.to}: ${t.reason}`, t.to === 'ALARM' ? 'Warning' : 'Normal');
    }
    return { requeueAfterMs: plan.requeueAfterMs };
  }
}
