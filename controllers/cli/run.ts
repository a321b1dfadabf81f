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
import type { Resource } from '../../api/meta.js';
import { createApp, type App } from '../register.js';
import { chooseRunClock } from './run-clock.js';
import { StderrLogger, type LogFormat, type LogLevel, type Logger } from '../runtime/logger.js';
import type { Probes } from '../runtime/endpoints.js';
import { loadManifests } from './manifests.js';
import { applyEach, serveControl, socketPath } from './control.js';
import { openState, type OpenState } from './state.js';
import { LiveView } from './live-view.js';
import { errorText } from './errors.js';
import { startApiForRun, checkApiOptions } from './aws-api.js';
import { endpointAddresses, startEndpoints, type EndpointOptions } from './observability.js';
import { becomeLeader, leaderTiming, type LeaderModule, type LeaderOptions } from './leader.js';
import { tuneServerJit } from './jit.js';

/** What controllers/bridge/index.ts exports (loaded dynamically, so typed here). */
export interface BridgeModule extends LeaderModule {
  startBridge(app: App, opts: { kubeconfig: string; namespace: string; logger: Logger; probes?: Probes }): Promise<{ stop(): Promise<void> }>;
}

export interface RunOptions extends EndpointOptions, LeaderOptions {
  file: string[];
  state?: string;
  kubeconfig?: string;
  namespace?: string;
  /** Stop after this long (smoke tests, demos). */
  for?: string;
  /** Exit 0 as soon as every service is in a steady state. */
  untilSteady?: boolean;
  watch?: boolean;
  /** `HOST:PORT` of the AWS API; `api: false` (--no-api) serves none. */
  apiAddr?: string;
  api?: boolean;
  apiAllowRemote?: boolean;
  accountId?: string;
  /** `real` (default) or `manual` (time moves only through POST /_ecsplane/clock). */
  clock?: string;
  /** Virtual seconds per real second (default 1). */
  timeScale?: string;
  logFormat?: LogFormat;
  logLevel?: LogLevel;
}

export async function runCommand(opts: RunOptions): Promise<number> {
  checkApiOptions(opts); // before anything starts: a bad --api-addr or --account-id is a usage error
  tuneServerJit();
  const time = chooseRunClock(opts);
  const addresses = endpointAddresses(opts);
  const kubeconfig = opts.kubeconfig ?? process.env.KUBECONFIG;
  const bridgeEnabled = Boolean(opts.kubeconfig || (process.env.KUBECONFIG && opts.namespace));
  const timing = leaderTiming(opts, bridgeEnabled);
  const log = new StderrLogger({ level: opts.logLevel, format: opts.logFormat });
  const app = createApp({ clock: time.clock, logger: log, resyncMs: time.resyncMs, metrics: true });
  // The view subscribes before anything is restored, applied or reconciled, so the events of the
  // first instant ("has started 3 tasks", "unable to place a task") are shown too; on a terminal,
  // log lines go to its recent list, where the redraw does not wipe them.
  const view = new LiveView(app, process.stdout);
  view.start();
  if (view.tty) log.sink = (line) => view.note(line);
  // Watch before the first load, so an edit made while `run` starts is not missed.
  const watchers: FSWatcher[] = [];
  let started = false; // until the state is open and the first load applied, a change is only noted
  let changedWhileStarting = false;
  let timer: NodeJS.Timeout | undefined;
  const onChange = () => {
    if (!started) return void (changedWhileStarting = true);
    clearTimeout(timer);
    timer = setTimeout(() => void reapplyFiles(app, opts.file, view), 300);
  };
  if (opts.watch !== false && opts.file.length) {
    for (const f of opts.file) {
      try {
        watchers.push(watch(f, { persistent: false }, onChange));
      } catch {
        /* not watchable: fine */
      }
    }
  }

  let state: OpenState | undefined;
  let server: Server | undefined;
  let bridge: { stop(): Promise<void> } | undefined;
  let elector: { release(): Promise<void> } | undefined;
  // Liveness answers from the start; readiness once the loops run (a standby replica is ready too:
  // it is healthy and waiting, and a Deployment's rollout must not stall on it).
  let loopsStarted = false;
  let standingBy = false;
  const endpoints = await startEndpoints(app, addresses, log);
  endpoints.probes.addReadyzCheck('loops', () => loopsStarted || standingBy || 'the loops have not started yet');
  try {
    if (opts.state) {
      const path = resolve(opts.state);
      state = await openState(app, path, { socket: socketPath(path) });
      server = serveControl(app, socketPath(path));
      if (state.restored) log.info(`restored ${app.store.snapshot().objects.length} objects from ${path} (resourceVersion ${app.store.resourceVersion})`);
    }
    if (bridgeEnabled) {
      // Before the manifests: with an empty store the bridge rebuilds it from the custom resources
      // (revisions, tasks, deployments) before anything else is applied. Loaded only when enabled:
      // the core never imports @kubernetes/client-node.
      const bridgeModule = '../bridge/index.js';
      const mod = (await import(bridgeModule)) as BridgeModule;
      const namespace = opts.namespace ?? 'default';
      if (timing) {
        standingBy = true;
        elector = await becomeLeader(mod, app, {
          kubeconfig: kubeconfig!, namespace, name: opts.leaderElectResourceName, timing, log, probes: endpoints.probes,
          // Another replica may lead already: stop every write at once, no clean shutdown.
          onLost: () => process.exit(1),
        });
        standingBy = false;
      }
      bridge = await mod.startBridge(app, { kubeconfig: kubeconfig!, namespace, logger: log, probes: endpoints.probes });
    }
    if (opts.file.length) {
      // The first load is the user's command line: a missing file or a YAML error ends `run`.
      const docs = loadManifests(opts.file);
      await applyDocs(app, docs, view);
    }
  } catch (err) {
    // Nothing runs yet: stop the view so the error is the last thing on the screen.
    view.stop();
    for (const w of watchers) w.close();
    log.sink = undefined;
    await bridge?.stop();
    await elector?.release();
    await endpoints.close();
    server?.close();
    state?.release();
    throw err;
  }


  const awsApi = await startApiForRun(app, opts, log, time.control);
  time.startLoops(app); // after the bridge: it rebuilds an empty store from Kubernetes before any loop acts
  loopsStarted = true;
  started = true;
  if (changedWhileStarting) onChange();

  return new Promise<number>((done) => {
    // Every real-clock timer is unref'd (a finished simulation must not hang), so `run` holds the
    // event loop open itself until Ctrl-C, SIGTERM, --for or --until-steady ends it.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    const timers: NodeJS.Timeout[] = [];
    // The loops' own writes are coalesced and retried; a failing state file is said once per cause.
    let lastWriteError = '';
    if (state) {
      const persistence = state.persistence;
      const watchWrites = setInterval(() => {
        const message = persistence.error?.message ?? '';
        if (message && message !== lastWriteError) log.error(`state file: ${message} (retrying)`);
        else if (!message && lastWriteError) log.info(`state file: written again`);
        lastWriteError = message;
      }, 1000);
      watchWrites.unref();
      timers.push(watchWrites);
    }
    let stopping = false;
    const stop = async (code: number) => {
      if (stopping) return;
      stopping = true;
      clearInterval(keepAlive);
      for (const t of timers) clearTimeout(t);
      view.stop();
      log.sink = undefined; // the view is gone: what is said while stopping goes to stderr
      for (const w of watchers) w.close();
      await bridge?.stop();
      await elector?.release(); // after the bridge's last write: a standby may take over now
      await awsApi?.close();
      await app.manager.stop();
      time.stop();
      if (state) {
        try {
          await state.persistence.flush();
        } catch (err) {
          // The disk still fails: say what is not saved; the file holds the last good state.
          log.error(`state not saved on exit: ${errorText(err)}`);
          code = 1;
        }
        state.release();
      }
      server?.close();
      await endpoints.close();
      done(code);
    };
    process.once('SIGINT', () => void stop(0));
    process.once('SIGTERM', () => void stop(0));
    if (opts.for) timers.push(setTimeout(() => void stop(0), parseDuration(opts.for, '--for')));
    if (opts.untilSteady) {
      const poll = setInterval(() => {
        if (stopping) return;
        const services = app.store.list('Service');
        if (services.length && services.every((s) => s.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True')) {
          view.final();
          void stop(0);
        }
      }, 200);
      timers.push(poll);
    }
  });
}

/** Re-apply after a manifest changed on disk: errors are shown, `run` goes on. */
async function reapplyFiles(app: App, files: string[], view: LiveView): Promise<void> {
  let docs: Resource[];
  try {
    docs = loadManifests(files);
  } catch (err) {
    view.note(`error: ${(err as Error).message}`);
    return;
  }
  await applyDocs(app, docs, view);
}

/** The first load and every re-load: `apply`'s per-object path (control.ts), shown in the view. */
async function applyDocs(app: App, docs: Resource[], view: LiveView): Promise<void> {
  for (const r of await applyEach(app, docs)) {
    const id = `${r.kind.toLowerCase()}/${r.name}`;
    if (!('error' in r)) {
      if (r.action !== 'unchanged') view.note(`${id} ${r.action}`);
    } else if (r.kind === 'Scenario') {
      view.note(`warning: ${id}: Scenario documents are for \`ecsplane simulate\`; \`run\` applies the other documents and ignores it`);
    } else view.note(`error: ${id}: ${r.error.type}: ${r.error.message}`);
  }
}
