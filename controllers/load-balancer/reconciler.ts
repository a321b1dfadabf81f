/**
 * TargetGroup loop: status lists the registered targets (DescribeTargetHealth shape) of every
 * task of every service that names this target group.
 */
import { inject, injectable } from '../runtime/di.js';
import { clusterOf, makeKey } from '../../api/meta.js';
import { knobsOfTask } from '../shared/knobs.js';
import { privateIpOf, taskIp } from '../shared/eni.js';
import { setCondition } from '../../api/conditions.js';
import { parseTaskDefinitionRef } from '../../api/arn.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import { getRevision } from '../../store/taskdefs.js';
import type { Clock } from '../runtime/clock.js';
import type { ReconcileOutcome, Reconciler } from '../runtime/controller.js';
import { TOKENS } from '../runtime/tokens.js';
import { tasksOfService } from '../shared/indexes.js';
import { ec2InstanceIdOf, type InstanceObject } from '../shared/instances.js';
import { writeStatus } from '../shared/status.js';
import { parseTime } from '../shared/time.js';
import { internedKey } from '../shared/keys.js';
import { targetGroupArn, targetGroupName, targetGroupOfTask, targetGroupsOfLb, targetGroupSpec, targetStateAt } from './targets.js';

@injectable()
export class TargetGroupReconciler implements Reconciler {
  constructor(
    @inject(TOKENS.Store) private readonly store: ResourceStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  reconcile(key: string): ReconcileOutcome {
    const tg = this.store.get('TargetGroup', key);
    if (!tg) return;
    const now = this.clock.now();
    const spec = targetGroupSpec(this.store, key);
    const targets: unknown[] = [];
    let next = Infinity;
    for (const svc of this.store.list('Service')) {
      for (const lb of svc.spec.loadBalancers ?? []) {
        if (!targetGroupsOfLb(lb).some((arn) => targetGroupName(arn) === key)) continue;
        for (const t of tasksOfService(this.store, makeKey(clusterOf(svc), svc.metadata.name))) {
          const mine = targetGroupOfTask(lb, t);
          if (!mine || targetGroupName(mine) !== key) continue; // registered in the other (blue/green) group
          const s = t.status ?? {};
          if (!s.startedAt || s.lastStatus === 'STOPPED') continue;
          const { family, revision } = parseTaskDefinitionRef(s.taskDefinitionArn ?? '');
          const rev = getRevision(this.store, `${family}:${revision}`);
          const st = targetStateAt({
            tg: spec,
            startedAt: parseTime(s.startedAt),
            stoppingAt: s.desiredStatus === 'STOPPED' && s.stoppingAt ? parseTime(s.stoppingAt) : undefined,
            timeline: knobsOfTask(rev, t).targetHealth,
            now,
          });
          if (st.nextChangeAt !== undefined) next = Math.min(next, st.nextChangeAt);
          if (st.state === 'unused') continue;
          const binding = s.containers?.find((c) => c.name === lb.containerName)?.networkBindings?.find((b) => b.containerPort === lb.containerPort);
          targets.push({
            Target: {
              Id: spec.TargetType === 'ip' ? (privateIpOf(s) ?? taskIp(t.metadata.name)) : this.instanceId(clusterOf(t), s.containerInstance),
              Port: spec.TargetType === 'ip' ? lb.containerPort : (binding?.hostPort ?? lb.containerPort),
              AvailabilityZone: s.availabilityZone,
            },
            TargetHealth: { State: st.state, ...(st.state === 'initial' ? { Reason: 'Elb.InitialHealthChecking' } : st.state === 'draining' ? { Reason: 'Target.DeregistrationInProgress' } : st.state === 'unhealthy' ? { Reason: 'Target.FailedHealthChecks' } : {}) },
            taskArn: s.taskArn,
          });
        }
      }
    }
    const status = {
      ...(tg.status ?? {}),
      TargetGroupArn: targetGroupArn(this.store, key),
      TargetHealthDescriptions: targets,
      observedGeneration: tg.metadata.generation,
      conditions: setCondition(tg.status?.conditions, { type: 'Ready', status: 'True', reason: 'Active', message: `${targets.length} targets`, observedGeneration: tg.metadata.generation }, now),
    };
    writeStatus(this.store, tg, status);
    return Number.isFinite(next) ? { requeueAfterMs: next - now } : undefined;
  }

  /** Instance targets are EC2 instance ids. */
  private instanceId(cluster: string, containerInstance: string | undefined): string {
    const inst = containerInstance ? this.store.get('ContainerInstance', makeKey(cluster, containerInstance)) : undefined;
    return inst ? ec2InstanceIdOf(inst as InstanceObject) : (containerInstance ?? '');
  }
}

/** Task events wake the target groups of the task's service. */
export function targetGroupKeysForTask(store: ResourceStore): (ev: WatchEvent) => string[] {
  return (ev) => {
    const svcName = ev.object.metadata.labels?.['ecsplane.io/service'];
    if (!svcName) return [];
    const svc = store.get('Service', internedKey(clusterOf(ev.object), svcName));
    return (svc?.spec.loadBalancers ?? []).flatMap((lb: any) => targetGroupsOfLb(lb).map(targetGroupName));
  };
}
