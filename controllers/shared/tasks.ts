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
  let a = 0x811c9dc5;
  let b = (0x01000193 ^ 0x9e3779b9) >>> 0;
  let c = 0x85ebca6b;
  let d = 0xc2b2ae35;
  for (let i = 0; i < seed.length; i++) {
    const ch = seed.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193) >>> 0;
    b = Math.imul(b ^ (ch + 31), 0x01000193) >>> 0;
    c = Math.imul(c ^ (ch + 62), 0x01000193) >>> 0;
    d = Math.imul(d ^ (ch + 93), 0x01000193) >>> 0;
  }
  // Lanes mix in order, each with the next one as already mixed (as the loop over lanes did).
  a = Math.imul(a ^ (b >>> 13), 0x5bd1e995) >>> 0;
  b = Math.imul(b ^ (c >>> 13), 0x5bd1e995) >>> 0;
  c = Math.imul(c ^ (d >>> 13), 0x5bd1e995) >>> 0;
  d = Math.imul(d ^ (a >>> 13), 0x5bd1e995) >>> 0;
  return [hex8(a), hex8(b), hex8(c), hex8(d)].join(''); // join: one flat string (a + b + c + d is a rope, larger)
}

function hex8(x: number): string {
  const s = x.toString(16);
  return s.length === 8 ? s : '00000000'.slice(s.length) + s;
}
