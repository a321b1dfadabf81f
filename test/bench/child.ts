/**
 * One benchmark suite in its own process: `node --expose-gc dist/test/bench/child.js SUITE [JSON]`.
 * Prints each figure as a `BENCH_RESULT {json}` line on stdout (main.ts collects them).
 */
import 'reflect-metadata';
import { RESULT_PREFIX, type FigureResult } from './harness.js';

const SUITES: Record<string, (opts: any) => Promise<FigureResult[]>> = {
  placement: async (o) => (await import('./suites/placement.js')).placementSuite(o),
  fleet: async (o) => (await import('./suites/fleet.js')).fleetSuite(o),
  'fleet-size': async (o) => (await import('./suites/fleet.js')).fleetSizeSuite(o),
  store: async (o) => (await import('./suites/store.js')).storeSuite(o),
  latency: async (o) => (await import('./suites/store.js')).latencySuite(o),
  memory: async (o) => (await import('./suites/memory.js')).memorySuite(o),
  restart: async (o) => (await import('./suites/memory.js')).restartSuite(o),
  autoscaling: async (o) => (await import('./suites/autoscaling.js')).autoscalingSuite(o),
  bridge: async (o) => (await import('./suites/bridge.js')).bridgeSuite(o),
  api: async (o) => (await import('./suites/api.js')).apiSuite(o),
  queues: async (o) => (await import('./suites/queues.js')).queuesSuite(o),
  events: async (o) => (await import('./suites/events.js')).eventsSuite(o),
  'api-scale': async (o) => (await import('./suites/api.js')).apiScaleSuite(o),
  'scale-max': async (o) => (await import('./suites/scale.js')).scaleMaxSuite(o),
  'scale-restart': async (o) => (await import('./suites/scale.js')).scaleRestartSuite(o),
  day: async (o) => (await import('./suites/scale.js')).daySuite(o),
  simulate: async (o) => (await import('./suites/scale.js')).simulateSuite(o),
};

async function main(): Promise<void> {
  const [name, json] = process.argv.slice(2);
  const suite = SUITES[name];
  if (!suite) throw new Error(`unknown suite ${JSON.stringify(name)}; one of ${Object.keys(SUITES).join(', ')}`);
  const figures = await suite(json ? JSON.parse(json) : {});
  for (const f of figures) process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(f)}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench ${process.argv[2]}: ${(err as Error)?.stack ?? err}\n`);
    process.exit(1);
  },
);
