/**
 * `ecsplane run`: the embedded control plane on the real clock. Applies the manifests, runs
 * every loop, re-applies when a manifest file changes, shows a live status view, serves the
 * control socket for `apply|get|delete --state`, optionally mirrors into Kubernetes, and on
 * Ctrl-C stops cleanly and saves state.
 */
import { watch, type FSWatcher } from 'node:fs';
import { resolve } from 'node:path';
import type { Server } from 'node:net';
import { parseDuration } from '../../api/duration.js';
import { EcsError } from '../../api/errors.js';
import { createApp, type App } from '../register.js';
import { RealClock } from '../runtime/clock.js';
import { StderrLogger } from '../runtime/logger.js';
import { loadManifests } from './manifests.js';
import { serveControl, socketPath } from './control.js';
import { openState, type OpenState } from './state.js';
import { LiveView } from './live-view.js';

/** What controllers/bridge/index.ts exports (loaded dynamically, so typed here). */
export interface BridgeModule {
  startBridge(app: App, opts: { kubeconfig: string; namespace: string; logger: StderrLogger }): Promise<{ stop(): Promise<void> }>;
}

export interface RunOptions {
  file: string[];
  state?: string;
  kubeconfig?: string;
  namespace?: string;
  /** Stop after this long (smoke tests, demos). */
  for?: string;
  /** Exit 0 as soon as every service is in a steady state. */
  untilSteady?: boolean;
  watch?: boolean;
}

export async function runCommand(opts: RunOptions): Promise<number> {
  const clock = new RealClock();
  const log = new StderrLogger();
  const app = createApp({ clock, logger: log, resyncMs: 5 * 60_000 });
  let state: OpenState | undefined;
  let server: Server | undefined;
  if (opts.state) {
    const path = resolve(opts.state);
    state = await openState(app, path, { socket: socketPath(path) });
    server = serveControl(app, socketPath(path));
    if (state.restored) log.info(`restored ${app.store.snapshot().objects.length} objects from ${path} (resourceVersion ${app.store.resourceVersion})`);
  }
  const view = new LiveView(app, process.stdout);
  await applyFiles(app, opts.file, view);
  app.manager.start();
  view.start();

  const watchers: FSWatcher[] = [];
  if (opts.watch !== false && opts.file.length) {
    let timer: NodeJS.Timeout | undefined;
    for (const f of opts.file) {
      try {
        watchers.push(
          watch(f, { persistent: false }, () => {
            clearTimeout(timer);
            timer = setTimeout(() => void applyFiles(app, opts.file, view), 300);
          }),
        );
      } catch {
        /* not watchable: fine */
      }
    }
  }

  const kubeconfig = opts.kubeconfig ?? process.env.KUBECONFIG;
  let bridge: { stop(): Promise<void> } | undefined;
  if (opts.kubeconfig || (process.env.KUBECONFIG && opts.namespace)) {
    // Loaded only when enabled: the core never imports @kubernetes/client-node.
    const bridgeModule = '../bridge/index.js';
    const mod = (await import(bridgeModule)) as BridgeModule;
    bridge = await mod.startBridge(app, { kubeconfig: kubeconfig!, namespace: opts.namespace ?? 'default', logger: log });
  }

  return new Promise<number>((done) => {
    let stopping = false;
    const stop = async (code: number) => {
      if (stopping) return;
      stopping = true;
      view.stop();
      for (const w of watchers) w.close();
      await bridge?.stop();
      await app.manager.stop();
      clock.cancelAll();
      if (state) {
        await state.persistence.flush();
        state.release();
      }
      server?.close();
      done(code);
    };
    process.once('SIGINT', () => void stop(0));
    process.once('SIGTERM', () => void stop(0));
    if (opts.for) setTimeout(() => void stop(0), parseDuration(opts.for, '--for'));
    if (opts.untilSteady) {
      const poll = setInterval(() => {
        const services = app.store.list('Service');
        if (services.length && services.every((s) => s.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True')) {
          clearInterval(poll);
          view.final();
          void stop(0);
        }
      }, 200);
    }
  });
}

async function applyFiles(app: App, files: string[], view: LiveView): Promise<void> {
  if (!files.length) return;
  let docs;
  try {
    docs = loadManifests(files);
  } catch (err) {
    view.note(`error: ${(err as Error).message}`);
    return;
  }
  for (const d of docs) {
    try {
      const r = (await app.api.applyAndPersist([d]))[0];
      if (r.action !== 'unchanged') view.note(`${d.kind.toLowerCase()}/${d.metadata?.name} ${r.action}`);
    } catch (err) {
      const e = err as Error;
      view.note(`error: ${d.kind}/${d.metadata?.name}: ${e instanceof EcsError ? e.message : e.message}`);
    }
  }
}
