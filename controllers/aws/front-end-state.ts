/**
 * Account-level state of the AWS front end that no ecsplane kind holds (ECS account settings): in
 * memory, and with `--state PATH` in `PATH.aws.json` (mode 0600, written to a temporary file and
 * renamed, so a crash never leaves half a file). A corrupt file is refused, as the state file is.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { FrontEndState } from './router.js';

const MAX_BYTES = 1 << 20;

export function frontEndState(path?: string): FrontEndState {
  let data: Record<string, unknown> = {};
  if (path && existsSync(path)) {
    const text = readFileSync(path, 'utf8');
    try {
      if (text.length > MAX_BYTES) throw new Error('too large');
      const parsed = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
      data = parsed;
    } catch (err) {
      throw new Error(`AWS API state file ${path} is corrupt (${(err as Error).message}); move it away or restore a backup`);
    }
  }
  return {
    get: (key) => (Object.prototype.hasOwnProperty.call(data, key) ? data[key] : undefined),
    async set(key, value) {
      data = { ...data, [key]: value };
      if (!path) return;
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, JSON.stringify(data, null, 1) + '\n', { mode: 0o600 });
      renameSync(tmp, path);
    },
    async clear() {
      data = {};
      if (!path || !existsSync(path)) return;
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, '{}\n', { mode: 0o600 });
      renameSync(tmp, path);
    },
  };
}

export function frontEndStatePath(statePath: string): string {
  return `${statePath}.aws.json`;
}
