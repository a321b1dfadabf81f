/** An in-process AWS API server on a virtual clock, and an ECS client pointed at it. */
import 'reflect-metadata';
import { ECSClient } from '@aws-sdk/client-ecs';
import { createApp, type App } from '../../../controllers/register.js';
import { VirtualClock } from '../../../controllers/runtime/clock.js';
import { startAwsServer, type AwsServer } from '../../../controllers/aws/server.js';

export const T0 = Date.UTC(2026, 0, 1);

export interface TestApi {
  app: App;
  clock: VirtualClock;
  server: AwsServer;
  ecs: ECSClient;
  /** Move virtual time on by `ms`, draining every loop at each due timer (as `simulate` does). */
  advance(ms: number): void;
  /** Advance this much virtual time before each Describe* call (drives the SDK waiters). */
  timePerPoll: number;
  stop(): Promise<void>;
}

export async function startTestApi(): Promise<TestApi> {
  const clock = new VirtualClock(T0);
  const app = createApp({ clock, seed: 1 });
  app.manager.startWatching();
  const advance = (ms: number) => {
    const end = clock.now() + ms;
    app.manager.drain();
    for (;;) {
      const next = clock.nextTimerAt();
      if (next === undefined || next > end) break;
      clock.advanceTo(next);
      app.manager.drain();
    }
    clock.advanceTo(end);
    app.manager.drain();
  };
  const t: Partial<TestApi> = { timePerPoll: 0 };
  const server = await startAwsServer(app, {
    port: 0,
    beforeOperation: (op) => {
      if (op.startsWith('Describe') && t.timePerPoll) advance(t.timePerPoll);
      app.manager.drain();
    },
    afterOperation: () => void app.manager.drain(),
  });
  const ecs = new ECSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  return Object.assign(t, {
    app,
    clock,
    server,
    ecs,
    advance,
    async stop() {
      ecs.destroy();
      await server.close();
    },
  }) as TestApi;
}

export const webTaskDefinition = {
  family: 'web',
  containerDefinitions: [{ name: 'app', image: 'nginx:1', cpu: 256, memory: 512, essential: true }],
};

export function instanceInput(cluster: string, memory = 4096) {
  return {
    cluster,
    totalResources: [
      { name: 'CPU', type: 'INTEGER', integerValue: 2048 },
      { name: 'MEMORY', type: 'INTEGER', integerValue: memory },
    ],
    attributes: [{ name: 'ecs.availability-zone', value: 'us-east-1a' }],
  };
}

/** The error a call failed with (the SDK's error: name, message, $metadata); throws when it succeeded. */
export async function fails(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}
