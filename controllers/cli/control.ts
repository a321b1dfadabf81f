/**
 * The control socket of a running `ecsplane run --state PATH`: other `ecsplane apply|get|delete`
 * invocations on the same state file talk to the process that holds it (one writer) instead of
 * opening the file. Newline-delimited JSON requests and responses over a Unix socket.
 */
import { createConnection, createServer, type Server } from 'node:net';
import { existsSync, unlinkSync } from 'node:fs';
import type { Resource } from '../../api/meta.js';
import { EcsError } from '../../api/errors.js';
import type { App } from '../register.js';
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
      return (await app.api.applyAndPersist(req.resources)).map((r) => ({ kind: r.object.kind, name: r.object.metadata.name, action: r.action }));
    case 'get':
      if (req.key) return app.store.get(req.kind, req.key) ?? null;
      return app.store.list(req.kind, req.cluster ? { cluster: req.cluster } : {});
    case 'delete':
      return await app.api.deleteAndPersist(req.kind, req.key, { force: req.force });
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

export function serveControl(app: App, path: string): Server {
  if (existsSync(path)) unlinkSync(path); // a stale socket: we hold the lock, so nobody else serves it
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
          const e = err as Error;
          res = { ok: false, error: { type: e instanceof EcsError ? e.type : e.name, message: e.message } };
        }
        conn.write(JSON.stringify(res) + '\n');
      }
    });
    conn.on('error', () => undefined);
  });
  server.listen(path);
  return server;
}

export function callControl(path: string, req: ControlRequest, timeoutMs = 10_000): Promise<unknown> {
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
