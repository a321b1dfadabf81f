/**
 * Auto Scaling group loop: reads the group, the capacity provider driving it and its instances, asks
 * the pure plan (plan.ts) what to do, applies the container-instance actions and writes status.
 */
import { inject, injectable } from '../runtime/di.js';
import { API_VERSION, clusterOf, makeKey, type Resource } from '../../api/meta.js';
import { parseDuration } from '../../api/duration.js';
import { lookupInstanceType, containerInstanceResources, DEFAULT_RESERVED_TCP_PORTS } from '../../api/instance-types.js';
import type { AutoScalingGroupSpec, CapacityProviderSpec } from '../../api/v1alpha1/types.js';
import { clone } from '../../store/objects.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import type { Clock } from '../runtime/clock.js';
import type { EventRecorder } from '../runtime/events.js';
import type { ReconcileOutcome, Reconciler } from '../runtime/controller.js';
import { TOKENS } from '../runtime/tokens.js';
import { heldOn, SERVICE_LABEL, tasksOnInstance } from '../shared/indexes.js';
import { CAPACITY_PROVIDER_LABEL, INSTANCE_ANNOTATIONS, effectiveState, type InstanceObject } from '../shared/instances.js';
import { writeStatus } from '../shared/status.js';
import {
  ASG_LABEL,
  DEFAULT_LAUNCH_DELAY_MS,
  LAUNCH_DELAY_ANNOTATION,
  asgNameOf,
  clusterForAsg,
  isDaemonTask,
  providersOfAsg,
} from '../capacity/association.js';
import type { CapacityProviderStatus } from '../capacity/types.js';
import { planAutoScalingGroup, type AsgAction, type DrivingProvider } from './plan.js';
import type { AsgInstance, AsgStatus, ObservedInstance } from './types.js';
import { specDefaults } from '../shared/defaults.js';
import { trunkAttribute } from '../shared/account-settings.js';

@injectable()
export class AutoScalingGroupReconciler implements Reconciler {
  constructor(
    @inject(TOKENS.Store) private readonly store: ResourceStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Events) private readonly events: EventRecorder,
  ) {}

  reconcile(key: string): ReconcileOutcome {
    const asg = this.store.get('AutoScalingGroup', key) as Resource<AutoScalingGroupSpec, AsgStatus> | undefined;
    if (!asg) return; // its container instances go with it (owner references; the garbage collector)
    const now = this.clock.now();
    const spec = specDefaults<AutoScalingGroupSpec>('AutoScalingGroup', asg.spec, { name: asg.metadata.name });
    const cluster = clusterForAsg(this.store, asg);
    const observed: Record<string, ObservedInstance> = {};
    for (const rec of asg.status?.Instances ?? []) observed[rec.InstanceId] = this.observe(rec);
    const plan = planAutoScalingGroup({
      name: asg.metadata.name,
      uid: asg.metadata.uid!,
      generation: asg.metadata.generation ?? 1,
      spec,
      status: asg.status ?? {},
      provider: this.drivingProvider(asg.metadata.name),
      cluster,
      clusterExists: Boolean(this.store.get('Cluster', cluster)),
      launchDelayMs: launchDelayOf(asg),
      observed,
      now,
    });
    for (const a of plan.actions) this.apply(asg, a);
    writeStatus(this.store, asg, plan.status);
    for (const e of plan.events) this.events.record(asg, e.reason, e.message, e.type);
    return plan.requeueAfterMs !== undefined ? { requeueAfterMs: plan.requeueAfterMs } : undefined;
  }

  private drivingProvider(asgName: string): DrivingProvider | undefined {
    const cp = providersOfAsg(this.store, asgName)[0];
    if (!cp) return undefined;
    const spec = specDefaults<CapacityProviderSpec>('CapacityProvider', cp.spec, { name: cp.metadata.name });
    const p = spec.autoScalingGroupProvider!;
    // The last managed-scaling decision stands even after managed scaling is DISABLED (AWS only removes its
    // scaling policy), until the user changes spec.DesiredCapacity.
    const ms = (cp.status as CapacityProviderStatus | undefined)?.managedScaling;
    return {
      name: cp.metadata.name,
      managedScaling:
        ms?.desiredCapacity !== undefined && ms.basedOnSpecDesiredCapacity !== undefined
          ? { desiredCapacity: ms.desiredCapacity, basedOnSpecDesiredCapacity: ms.basedOnSpecDesiredCapacity }
          : undefined,
      managedTerminationProtection: p.managedTerminationProtection === 'ENABLED',
      managedDraining: p.managedDraining !== 'DISABLED',
    };
  }

  private observe(rec: AsgInstance): ObservedInstance {
    const key = makeKey(rec.Cluster, rec.InstanceId);
    const inst = this.store.get('ContainerInstance', key) as InstanceObject | undefined;
    if (!inst) return { registered: false, ec2State: 'running', tasks: 0, busy: false, serviceTasks: 0 };
    const tasks = tasksOnInstance(this.store, key);
    return {
      registered: true,
      ec2State: effectiveState(inst).ec2State,
      tasks: tasks.length,
      busy: tasks.some((t) => t.status?.desiredStatus === 'RUNNING' && !isDaemonTask(this.store, t, rec.Cluster)),
      serviceTasks: tasks.filter((t) => t.metadata.labels?.[SERVICE_LABEL]).length,
    };
  }

  private apply(asg: Resource, a: AsgAction): void {
    const key = makeKey(a.instance.Cluster, a.instance.InstanceId);
    const current = this.store.get('ContainerInstance', key);
    switch (a.type) {
      case 'register':
        // An instance registering while awsvpcTrunking is enabled gets its trunk ENI; earlier ones keep theirs.
        if (!current) this.store.create(containerInstanceFor(asg, a.instance, this.providerName(asg), trunkAttribute(this.store, a.instance.InstanceId, a.instance.InstanceType)));
        return;
      case 'deregister':
        if (current) this.store.delete('ContainerInstance', key);
        return;
      case 'drain':
      case 'terminate': {
        if (!current) return;
        const next = clone(current);
        const ann = (next.metadata.annotations ??= {});
        if (a.type === 'drain') ann[INSTANCE_ANNOTATIONS.desiredStatus] = 'DRAINING';
        else ann[INSTANCE_ANNOTATIONS.ec2State] = 'terminated';
        this.store.update(next);
      }
    }
  }

  private providerName(asg: Resource): string | undefined {
    return providersOfAsg(this.store, asg.metadata.name)[0]?.metadata.name;
  }
}

/** `sim.ecsplane.io/launch-delay` on the group, else 60 s (docs/scaling.md "Auto Scaling groups"). */
export function launchDelayOf(asg: Resource): number {
  const v = asg.metadata.annotations?.[LAUNCH_DELAY_ANNOTATION];
  if (v === undefined) return DEFAULT_LAUNCH_DELAY_MS;
  try {
    return parseDuration(v, LAUNCH_DELAY_ANNOTATION);
  } catch {
    return DEFAULT_LAUNCH_DELAY_MS; // a bad value must not stop the group; the default applies
  }
}

/** The ContainerInstance an instance registers as (RegisterContainerInstance input, as the agent sends it). */
export function containerInstanceFor(asg: Resource, rec: AsgInstance, provider: string | undefined, trunk?: { name: string; value: string }): Resource {
  const type = lookupInstanceType(rec.InstanceType);
  const res = type ? containerInstanceResources(type) : undefined;
  return {
    apiVersion: API_VERSION,
    kind: 'ContainerInstance',
    metadata: {
      name: rec.InstanceId,
      labels: { [ASG_LABEL]: asg.metadata.name, ...(provider ? { [CAPACITY_PROVIDER_LABEL]: provider } : {}) },
      ownerReferences: [{ apiVersion: API_VERSION, kind: 'AutoScalingGroup', name: asg.metadata.name, uid: asg.metadata.uid!, controller: true }],
    },
    spec: {
      cluster: rec.Cluster,
      totalResources: [
        ...(res
          ? [
              { name: 'CPU', type: 'INTEGER', integerValue: res.cpu },
              { name: 'MEMORY', type: 'INTEGER', integerValue: res.memory },
            ]
          : []),
        { name: 'PORTS', type: 'STRINGSET', stringSetValue: DEFAULT_RESERVED_TCP_PORTS.map(String) },
        { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: [] },
      ],
      attributes: [
        { name: 'ecs.instance-type', value: rec.InstanceType },
        { name: 'ecs.availability-zone', value: rec.AvailabilityZone },
        { name: 'ecs.ec2-instance-id', value: rec.InstanceId },
        ...(type ? [{ name: 'ecs.cpu-architecture', value: type.architecture }] : []),
        { name: 'ecs.os-type', value: 'linux' },
        ...(trunk ? [trunk] : []),
      ],
    },
  };
}

/** Keys of groups to wake: an instance or a task on an instance wakes the instance's group. */
export function asgKeysForInstance(ev: WatchEvent): string[] {
  const g = ev.object.metadata.labels?.[ASG_LABEL];
  return g ? [g] : [];
}

export function asgKeysForTask(store: ResourceStore): (ev: WatchEvent) => string[] {
  return (ev) => {
    // The group reads which tasks hold an instance, whether they are to run and whose they are
    // (observe()): a status write that changes none of it (a health check, a timestamp) wakes nobody.
    const prev = ev.previous;
    if (ev.type === 'MODIFIED' && prev && heldOn(prev) === heldOn(ev.object) && prev.status?.desiredStatus === ev.object.status?.desiredStatus && prev.metadata.labels === ev.object.metadata.labels) return [];
    const inst = ev.object.status?.containerInstance;
    if (!inst) return [];
    const g = store.get('ContainerInstance', makeKey(clusterOf(ev.object), inst))?.metadata.labels?.[ASG_LABEL];
    return g ? [g] : [];
  };
}

/** A capacity provider change wakes the group it drives; a cluster change, every group (association). */
export const asgKeysForProvider = (ev: WatchEvent): string[] => {
  const n = asgNameOf(ev.object);
  return n ? [n] : [];
};

export function allAsgKeys(store: ResourceStore): () => string[] {
  return () => store.list('AutoScalingGroup').map((a) => a.metadata.name);
}
