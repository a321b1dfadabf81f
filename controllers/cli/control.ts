/**
 * The control socket of a running `ecsplane run --state PATH`: other `ecsplane apply|get|delete`
 * invocations on the same state file talk to the process that holds it (one writer) instead of
 * opening the file. Newline-delimited JSON requests and responses over a Unix socket.
 */
import { createConnection, createServer, type Server } from 'node:net';
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import type { Resource } from '../../api/meta.js';
import { EcsError, capText } from '../../api/errors.js';
import type { App } from '../register.js';
import { sortForApply } from '../../store/apiserver.js';
import { assertOwnFile } from '../../store/safe-files.js';
import { requestStop } from '../shared/tasks.js';
import { StopCode } from '../task/lifecycle.js';

export type ControlRequest =
  | { op: 'apply'; resources: Resource[] }
  | { op: 'get'; kind: string; key?: string; cluster?: string }
  | { op: 'delete'; kind: string; key: string; force?: boolean }
  | { op: 'stopTask'; key: string; reason?: string };

export type ControlResponse = { ok: true; result: unknown } | { ok: false; error: { type: string; message: string } };

export function socketPath(statePath: string): string {
  return `${statePath}.sock`;
}

export async function handleRequest(app: App, req: ControlRequest): Promise<unknown> {
  switch (req.op) {
    case 'apply':
      return applyEach(app, req.resources);
    case 'get':
      if (req.key) return app.store.get(req.kind, req.key) ?? null;
      return app.store.list(req.kind, req.cluster ? { cluster: req.cluster } : {});
    case 'delete':
      return await app.api.deleteAndPersist(req.kind, req.key, { force: req.force, manager: 'cli' });
    case 'stopTask': {
      // StopTask: desiredStatus STOPPED, stopCode UserInitiated, the reason given (ECS default text otherwise).
      const task = app.store.get('Task', req.key);
      if (!task) throw new EcsError('InvalidParameterException', `The referenced task was not found: ${req.key}`, 'task');
      const stopped = requestStop(app.store, task, StopCode.UserInitiated, req.reason ?? 'Task stopped by user', app.clock.now());
      await app.api.persist();
      return stopped;
    }
  }
}

/** What `apply` reports per object: what happened to it, or why it was refused. */
export type ApplyOutcome = { kind: string; name: string; action: string } | { kind: string; name: string; error: { type: string; message: string } };

/**
 * Apply every object on its own (in dependency order), as `kubectl apply` does: one refused object
 * does not stop the others, and each is reported. Each accepted change is on disk before it is reported.
 */
export async function applyEach(app: App, resources: Resource[]): Promise<ApplyOutcome[]> {
  const out: ApplyOutcome[] = [];
  for (const obj of sortForApply(resources)) {
    // A refused object's kind and name are user input: echo a short prefix only.
    const id = { kind: capText(String(obj?.kind), 64), name: capText(String(obj?.metadata?.name), 300) };
    if (obj?.kind === 'Scenario') {
      out.push({ ...id, error: { type: 'InvalidParameterException', message: 'Scenario documents are for `ecsplane simulate`; apply and run take resources only' } });
      continue;
    }
    if (obj?.kind === 'Variant') {
      out.push({ ...id, error: { type: 'InvalidParameterException', message: 'Variant documents are for `ecsplane compare`, `simulate` and `validate`; apply and run take resources only' } });
      continue;
    }
    try {
      const [r] = await app.api.applyAndPersist([obj], { manager: 'cli' });
      out.push({ kind: r.object.kind, name: r.object.metadata.name, action: r.action });
    } catch (err) {
      out.push({ ...id, error: wireError(err) });
    }
  }
  return out;
}

/** An error as it crosses the socket: the ECS exception name and the message without it. */
export function wireError(err: unknown): { type: string; message: string } {
  if (err instanceof EcsError) return { type: err.type, message: err.field ? `${err.bareMessage} (${err.field})` : err.bareMessage };
  const e = err as Error;
  return { type: e?.name ?? 'Error', message: String(e?.message ?? err) };
}

/** Linux's sun_path holds 108 bytes with the terminating NUL. */
const MAX_SOCKET_PATH_BYTES = 107;

/**
 * Serve the control socket, readable and writable by this user only (0600) whatever the umask: the
 * socket is the state's front door. Whatever is at the path must be our own stale socket (we hold
 * the lock, so nobody else serves it); a symbolic link, another user's file or a non-socket is refused.
 */
export function serveControl(app: App, path: string): Server {
  removeStaleSocket(path);
  const server = createServer((conn) => {
    let buf = '';
    conn.on('data', async (chunk) => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let res: ControlResponse;
        try {
          res = { ok: true, result: await handleRequest(app, JSON.parse(line)) };
        } catch (err) {
          res = { ok: false, error: wireError(err) };
        }
        conn.write(JSON.stringify(res) + '\n');
      }
    });
    conn.on('error', () => undefined);
  });
  server.on('error', (err) => process.stderr.write(`ecsplane: control socket ${path}: ${err.message}\n`));
  // bind() creates the socket file with the umask applied, and listen(path) binds synchronously: under
  // umask 0177 no other user can connect at any moment. The chmod covers a system that ignores the umask.
  const umask = process.umask(0o177);
  try {
    server.listen(path);
  } finally {
    process.umask(umask);
  }
  try {
    chmodSync(path, 0o600);
  } catch {
    /* bind failed: reported through 'error' */
  }
  return server;
}

function removeStaleSocket(path: string): void {
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    throw new Error(`control socket path ${path} is too long for a Unix socket (${bytes} bytes, at most ${MAX_SOCKET_PATH_BYTES}): use a shorter --state path`);
  }
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  assertOwnFile(st, 'control socket', path, 'socket');
  unlinkSync(path);
}

/** A socket named in the lock is connected to only when it is this user's own socket, never through a link. */
function checkControlSocket(path: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return; // connect reports it
  }
  assertOwnFile(st, 'control socket', path, 'socket');
}

export function callControl(path: string, req: ControlRequest, timeoutMs = 10_000): Promise<unknown> {
  checkControlSocket(path);
  return new Promise((resolve, reject) => {
    const conn = createConnection(path);
    let buf = '';
    const timer = setTimeout(() => {
      conn.destroy();
      reject(new Error(`no answer from ${path} within ${timeoutMs} ms`));
    }, timeoutMs);
    conn.on('connect', () => conn.write(JSON.stringify(req) + '\n'));
    conn.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      conn.end();
      const res = JSON.parse(buf.slice(0, nl)) as ControlResponse;
      if (res.ok) resolve(res.result);
      else {
        const err = new Error(res.error.message);
        err.name = res.error.type;
        reject(err);
      }
    });
    conn.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
