/**
 * `apply`, `get` and `delete` against a --state file: through the control socket of the
 * `ecsplane run` that holds the file, or directly (taking the lock) when nobody does.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Resource } from '../../api/meta.js';
import { readLock } from '../../store/lock.js';
import { createApp } from '../register.js';
import { RealClock } from '../runtime/clock.js';
import { callControl, handleRequest, type ControlRequest } from './control.js';
import { openState } from './state.js';

export async function stateRequest(statePath: string | undefined, req: ControlRequest): Promise<unknown> {
  if (!statePath) {
    throw new Error('this command acts on a state file: pass --state PATH (the file `ecsplane run --state PATH` uses)');
  }
  const path = resolve(statePath);
  const holder = readLock(path);
  if (holder?.socket) return callRunning(holder.socket, req);
  if (req.op !== 'apply' && !existsSync(path)) {
    // Reading or changing a file nobody created is a mistake (a typo in the path), not an empty store.
    throw new Error(`state file ${statePath} does not exist (\`ecsplane run --state ${statePath}\` or \`ecsplane apply -f ... --state ${statePath}\` creates it)`);
  }
  const clock = new RealClock();
  const app = createApp({ clock });
  const state = await openState(app, path);
  try {
    return await handleRequest(app, req);
  } finally {
    await state.persistence.flush();
    state.release();
    clock.cancelAll();
  }
}

export type { Resource };

/**
 * `run` names its socket in the lock a moment before it listens on it: a connection refused or a
 * socket not there yet (the request was never sent) is tried again for a few seconds.
 */
async function callRunning(socket: string, req: ControlRequest): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await callControl(socket, req);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (attempt >= 30 || (code !== 'ENOENT' && code !== 'ECONNREFUSED')) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
