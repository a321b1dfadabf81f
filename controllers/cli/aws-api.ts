/**
 * `ecsplane run`'s AWS API: options checked before anything starts, the server started after the
 * manifests are applied. When the address is taken (another ecsplane holds 4566), `run` warns and
 * goes on without the API, so `make run` works beside another instance; `--api-addr` picks another.
 */
import { resolve } from 'node:path';
import { setAccountId } from '../../api/arn.js';
import type { App } from '../register.js';
import type { Logger } from '../runtime/logger.js';
import { defaultRouter, startAwsServer, type AwsServer } from '../aws/server.js';
import { ecsplaneEndpoints, type ClockControl } from '../aws/ecsplane-endpoints.js';
import { frontEndState, frontEndStatePath } from '../aws/front-end-state.js';

export interface ApiRunOptions {
  apiAddr?: string;
  api?: boolean;
  apiAllowRemote?: boolean;
  accountId?: string;
  state?: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function parseApiAddr(addr: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d{1,5})$/.exec(addr);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new Error(`--api-addr must be HOST:PORT (e.g. 127.0.0.1:4566), got ${JSON.stringify(addr.slice(0, 80))}`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

export function checkApiOptions(opts: ApiRunOptions): void {
  if (opts.accountId !== undefined) setAccountId(opts.accountId);
  if (opts.api === false) return;
  const { host } = parseApiAddr(opts.apiAddr ?? '127.0.0.1:4566');
  if (!LOOPBACK.has(host) && !opts.apiAllowRemote) {
    throw new Error(`--api-addr ${host} is not a loopback address: the AWS API has no authentication; pass --api-allow-remote to serve it there`);
  }
}

export async function startApiForRun(app: App, opts: ApiRunOptions, log: Logger, time: ClockControl = { mode: 'real', scale: 1 }): Promise<AwsServer | undefined> {
  if (opts.api === false) return undefined;
  const addr = opts.apiAddr ?? '127.0.0.1:4566';
  const { host, port } = parseApiAddr(addr);
  try {
    const extras = frontEndState(opts.state ? frontEndStatePath(resolve(opts.state)) : undefined);
    const router = defaultRouter().addRawHandler(ecsplaneEndpoints(time));
    // On the manual clock the loops act at once on what a call changed, so its answer and the next
    // call see the state at this instant (as on a real clock a moment later).
    const drain = time.mode === 'manual' ? () => void time.manual?.drain() : undefined;
    const server = await startAwsServer(app, { host, port, extras, router, beforeOperation: drain, afterOperation: drain });
    log.info(`AWS API listening on ${server.url}`);
    return server;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? `${addr} is in use (another ecsplane?)` : e.message;
    log.warn(`AWS API not started: ${why}; running without it (pass --api-addr HOST:PORT, or --no-api)`);
    return undefined;
  }
}
