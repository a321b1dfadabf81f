/**
 * The API workload of the side-by-side figures, the same calls against any ECS endpoint:
 * CreateCluster ×100; RegisterTaskDefinition ×1,000; RegisterContainerInstance ×100; CreateService ×100
 * (desired 5); RunTask ×500; DescribeServices ×1,000 (10 per call); ListTasks ×200. With `clients` > 1
 * each phase's calls are shared out among that many clients running at once. Three clients, the same
 * for every server (api-raw-client.ts): the SDK's own requests, built and signed before the phase,
 * replayed on a socket (the main figures) or through node:http, and @aws-sdk/client-ecs itself.
 */
import * as E from '@aws-sdk/client-ecs';
import { NodeHttpClient, RawClient, recordRequests, type EcsCommand, type PreparedCall } from './api-raw-client.js';

export const CLUSTER = 'bench';
const FAMILIES = 100;
export const SERVICES = 100;

export interface Phase {
  name: string;
  ops: number;
  /** The command of call number i (0-based) of the phase. */
  command(i: number): EcsCommand;
}

/** `raw`: the prepared requests on a socket; `http`: the same through node:http; `sdk`: @aws-sdk/client-ecs. */
export type ClientKind = 'raw' | 'http' | 'sdk';

export function newClient(endpoint: string): E.ECSClient {
  return new E.ECSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

export function taskDefinitionInput(i: number, cpu = 128, memory = 256): E.RegisterTaskDefinitionCommandInput {
  return { family: `app-${i % FAMILIES}`, containerDefinitions: [{ name: 'app', image: `registry.example/app:${i}`, cpu, memory, essential: true }] };
}

export function instanceInput(i: number, cpu = 4096, memory = 16384, ec2Ids?: string[]): E.RegisterContainerInstanceCommandInput {
  const instanceId = ec2Ids?.[i] ?? `i-${(0x1000000 + i).toString(16).padStart(17, '0')}`;
  return {
    cluster: CLUSTER,
    // moto reads the EC2 instance id from the identity document; ecsplane keeps it in the spec.
    instanceIdentityDocument: JSON.stringify({ instanceId, availabilityZone: `us-east-1${'abc'[i % 3]}`, region: 'us-east-1' }),
    totalResources: [
      { name: 'CPU', type: 'INTEGER', integerValue: cpu },
      { name: 'MEMORY', type: 'INTEGER', integerValue: memory },
    ],
    attributes: [{ name: 'ecs.availability-zone', value: `us-east-1${'abc'[i % 3]}` }],
  };
}

export const svcName = (i: number) => `svc-${String(i % SERVICES).padStart(3, '0')}`;

/** Cluster i of the CreateCluster phase: the first is the one every later phase uses. */
const clusterName = (i: number) => (i === 0 ? CLUSTER : `${CLUSTER}-${i}`);

export function phases(ec2Ids?: string[]): Phase[] {
  return [
    { name: 'CreateCluster', ops: 100, command: (i) => new E.CreateClusterCommand({ clusterName: clusterName(i) }) },
    { name: 'RegisterTaskDefinition', ops: 1000, command: (i) => new E.RegisterTaskDefinitionCommand(taskDefinitionInput(i)) },
    { name: 'RegisterContainerInstance', ops: 100, command: (i) => new E.RegisterContainerInstanceCommand(instanceInput(i, 4096, 16384, ec2Ids)) },
    {
      name: 'CreateService',
      ops: SERVICES,
      command: (i) => new E.CreateServiceCommand({ cluster: CLUSTER, serviceName: svcName(i), taskDefinition: `app-${i % FAMILIES}`, desiredCount: 5, launchType: 'EC2' }),
    },
    { name: 'RunTask', ops: 500, command: (i) => new E.RunTaskCommand({ cluster: CLUSTER, taskDefinition: `app-${i % FAMILIES}`, launchType: 'EC2' }) },
    { name: 'DescribeServices', ops: 1000, command: (i) => describeServicesCommand(i) },
    { name: 'ListTasks', ops: 200, command: () => new E.ListTasksCommand({ cluster: CLUSTER }) },
  ];
}

export function describeServicesCommand(i: number): E.DescribeServicesCommand {
  return new E.DescribeServicesCommand({ cluster: CLUSTER, services: Array.from({ length: 10 }, (_, k) => svcName(i * 10 + k)) });
}

export const PHASE_NAMES = phases().map((p) => [p.name, p.ops] as const);

/** Run `ops` calls shared out among the clients (client c takes calls c, c + n, ...); seconds taken. */
export async function runShared<C>(clients: C[], ops: number, call: (client: C, i: number) => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (client, c) => {
      for (let i = c; i < ops; i += clients.length) await call(client, i);
    }),
  );
  return (performance.now() - t0) / 1000;
}

/** The raw client's requests for a phase, recorded from the SDK (untimed). */
export function preparePhase(endpoint: string, phase: Phase): Promise<PreparedCall[]> {
  return recordRequests(endpoint, Array.from({ length: phase.ops }, (_, i) => phase.command(i)));
}

/** The whole workload once on a fresh server state, with `kind` clients: ops/s per phase. */
export async function runWorkload(endpoint: string, clientCount: number, ec2Ids?: string[], kind: ClientKind = 'raw'): Promise<Map<string, number>> {
  const replayers = kind === 'sdk' ? [] : Array.from({ length: clientCount }, () => (kind === 'raw' ? new RawClient(endpoint) : new NodeHttpClient(endpoint)));
  const sdks = kind === 'sdk' ? Array.from({ length: clientCount }, () => newClient(endpoint)) : [];
  try {
    const rates = new Map<string, number>();
    for (const phase of phases(ec2Ids)) {
      let secs: number;
      if (kind !== 'sdk') {
        const prepared = await preparePhase(endpoint, phase);
        secs = await runShared(replayers, phase.ops, (c, i) => c.send(prepared[i]));
      } else {
        secs = await runShared(sdks, phase.ops, (c, i) => c.send(phase.command(i) as never));
      }
      rates.set(phase.name, phase.ops / secs);
    }
    return rates;
  } finally {
    for (const c of [...replayers, ...sdks]) c.destroy();
  }
}
