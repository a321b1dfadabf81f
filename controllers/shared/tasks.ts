/** Task writes shared by the loops that start and stop tasks. */
import type { ResourceStore } from '../../store/store.js';
import type { TaskObject } from './instances.js';
import { iso } from './status.js';

/** Ask a task to stop (idempotent): desiredStatus STOPPED with ECS's stopCode and reason. */
export function requestStop(
  store: ResourceStore,
  task: TaskObject,
  stopCode: string,
  reason: string,
  now: number,
  extra: Partial<NonNullable<TaskObject['status']>> = {},
): TaskObject {
  const s = task.status ?? {};
  if (s.desiredStatus === 'STOPPED') return task;
  return store.updateStatus({
    ...task,
    status: { ...s, ...extra, desiredStatus: 'STOPPED', stopCode, stoppedReason: reason, stoppingAt: iso(now) },
  }) as TaskObject;
}

/** 32 hex digits, like an ECS task id, derived from a seed string (deterministic). */
export function taskIdFrom(seed: string): string {
  // FNV-1a 128-bit-ish: four 32-bit lanes; fast and deterministic, ids need no cryptography.
  const lanes = [0x811c9dc5, 0x01000193 ^ 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35];
  for (let i = 0; i < seed.length; i++) {
    const c = seed.charCodeAt(i);
    for (let l = 0; l < 4; l++) lanes[l] = Math.imul(lanes[l] ^ (c + l * 31), 0x01000193) >>> 0;
  }
  for (let l = 0; l < 4; l++) lanes[l] = Math.imul(lanes[l] ^ (lanes[(l + 1) % 4] >>> 13), 0x5bd1e995) >>> 0;
  return lanes.map((x) => x.toString(16).padStart(8, '0')).join('');
}
