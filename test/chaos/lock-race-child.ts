/**
 * One contender of the stale-lock race (lock-race.spec.ts). Line protocol on stdin/stdout:
 *   parent `go <epoch ms>`  -> spin until then, call acquireLock once, answer `held` | `locked` | `error <text>`
 *   parent `release`        -> a holder releases; every contender answers `released`
 *   parent `exit`           -> exit
 * Spinning to a shared instant (instead of reacting to the message) lines the contenders up as
 * closely as the scheduler allows.
 */
import { createInterface } from 'node:readline';
import { acquireLock, StateLockedError } from '../../store/lock.js';

const statePath = process.argv[2];
let release: (() => void) | undefined;

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [cmd, arg] = line.split(' ');
  if (cmd === 'go') {
    const at = Number(arg);
    while (performance.timeOrigin + performance.now() < at) {
      /* spin to the shared instant */
    }
    try {
      release = acquireLock(statePath, { pid: process.pid });
      process.stdout.write('held\n');
    } catch (err) {
      process.stdout.write(err instanceof StateLockedError ? 'locked\n' : `error ${(err as Error).message.replace(/\n/g, ' ')}\n`);
    }
  } else if (cmd === 'release') {
    release?.();
    release = undefined;
    process.stdout.write('released\n');
  } else if (cmd === 'exit') {
    process.exit(0);
  }
});
process.stdout.write('ready\n');
