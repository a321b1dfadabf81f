/**
 * Container start order and stop time as pure functions of the task definition and the knobs.
 *
 * Start (dependsOn): a container starts once every dependency reached its condition — START (it
 * started), HEALTHY (its health check passed), COMPLETE / SUCCESS (it exited; ecsplane has no
 * per-container exit knob, so such a dependency, a non-essential "init" container, exits 0 as soon
 * as it started). A dependency that does not reach its condition within its own `startTimeout`
 * (default: the agent's ECS_CONTAINER_START_TIMEOUT, 3 minutes) makes the dependent give up and the
 * task stops.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html (startTimeout, stopTimeout)
 *
 * Stop: SIGTERM, then SIGKILL after the container's `stopTimeout` (default 30 s, the agent's
 * ECS_CONTAINER_STOP_TIMEOUT). How long the application takes to exit on SIGTERM is the
 * `sim.ecsplane.io/stop-delay` knob (default 1 s); a container that takes longer than its
 * stopTimeout is killed at the timeout (exit code 137).
 */
import type { HealthTimeline } from '../../api/sim-timeline.js';
import { firstHealthyAt } from './health.js';
import type { ContainerDefinition, TaskDefinitionSpec } from '../../api/v1alpha1/types.js';

export const DEFAULT_START_TIMEOUT_MS = 3 * 60_000;
export const DEFAULT_STOP_TIMEOUT_MS = 30_000;
export const SIGKILL_EXIT_CODE = 137;

export type ContainerStarts =
  | {
      ok: true;
      /** Container name → epoch ms it starts. */
      startAt: Map<string, number>;
      /** Containers that exit 0 right after starting (COMPLETE/SUCCESS dependencies). */
      exited: Set<string>;
      /** Every container started: the task is RUNNING. */
      allStartedAt: number;
    }
  | { ok: false; failedAt: number; reason: string };

/** When each container starts, from the time the images are pulled (`readyAt`). */
export function planContainerStarts(td: TaskDefinitionSpec, readyAt: number, healthOf: (container: string) => HealthTimeline): ContainerStarts {
  const defs = new Map<string, ContainerDefinition>((td.containerDefinitions ?? []).map((c) => [c.name, c]));
  const startAt = new Map<string, number>();
  const exited = new Set<string>();
  let failure: { failedAt: number; reason: string } | undefined;
  const visiting = new Set<string>();
  const start = (name: string): number => {
    const known = startAt.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return Infinity; // a cycle (refused at registration): never starts
    visiting.add(name);
    let at = readyAt;
    for (const dep of defs.get(name)?.dependsOn ?? []) {
      const d = defs.get(dep.containerName);
      if (!d) continue;
      const depStart = start(dep.containerName);
      let met = depStart;
      if (dep.condition === 'HEALTHY') met = firstHealthyAt(d.healthCheck, healthOf(dep.containerName), depStart);
      if (dep.condition === 'COMPLETE' || dep.condition === 'SUCCESS') exited.add(dep.containerName);
      const deadline = depStart + (d.startTimeout !== undefined ? d.startTimeout * 1000 : DEFAULT_START_TIMEOUT_MS);
      if (met > deadline && Number.isFinite(depStart)) {
        if (!failure || deadline < failure.failedAt) {
          failure = { failedAt: deadline, reason: `Container ${name}: dependency ${dep.containerName} did not reach ${dep.condition} within its startTimeout` };
        }
        met = Infinity;
      }
      at = Math.max(at, met);
    }
    visiting.delete(name);
    startAt.set(name, at);
    return at;
  };
  let allStartedAt = readyAt;
  for (const name of defs.keys()) allStartedAt = Math.max(allStartedAt, start(name));
  if (failure) return { ok: false, ...failure };
  return { ok: true, startAt, exited, allStartedAt };
}

/** How long each container takes to stop after SIGTERM, and whether it was killed at its stopTimeout. */
export function containerStopTimes(td: TaskDefinitionSpec, appExitMs: number): Map<string, { afterMs: number; killed: boolean }> {
  const out = new Map<string, { afterMs: number; killed: boolean }>();
  const exited = initContainers(td);
  for (const c of td.containerDefinitions ?? []) {
    if (exited.has(c.name)) continue; // ran to completion at start: nothing to stop
    const timeout = c.stopTimeout !== undefined ? c.stopTimeout * 1000 : DEFAULT_STOP_TIMEOUT_MS;
    out.set(c.name, appExitMs > timeout ? { afterMs: timeout, killed: true } : { afterMs: appExitMs, killed: false });
  }
  return out;
}

/** The task's STOPPING time: its slowest running container. */
export function taskStopMs(td: TaskDefinitionSpec, appExitMs: number): number {
  const times = containerStopTimes(td, appExitMs);
  if (!times.size) return appExitMs;
  let max = 0;
  for (const t of times.values()) max = Math.max(max, t.afterMs);
  return max;
}

/** Containers others wait on to COMPLETE or SUCCEED: they exit 0 right after starting. */
function initContainers(td: TaskDefinitionSpec): Set<string> {
  const out = new Set<string>();
  for (const c of td.containerDefinitions ?? []) {
    for (const d of c.dependsOn ?? []) if (d.condition === 'COMPLETE' || d.condition === 'SUCCESS') out.add(d.containerName);
  }
  return out;
}
