/** Plain-text tables and the summary lines shared by `get`, `run` and `simulate --output table`. */
import { clusterOf, type Resource } from '../../api/meta.js';

export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('   ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function age(creationTimestamp: string | undefined, now: number): string {
  if (!creationTimestamp) return '';
  const s = Math.max(0, Math.floor((now - Date.parse(creationTimestamp)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** One row per object, with kind-specific columns (like `kubectl get`). */
export function getTable(kind: string, objects: Resource[], now: number, wide = false): string {
  const cols = COLUMNS[kind] ?? [['NAME', (o: Resource) => o.metadata.name]];
  const chosen = cols.filter((c) => wide || !c[2]);
  const header = [...chosen.map((c) => c[0]), 'AGE'];
  const rows = objects.map((o) => [...chosen.map((c) => String(c[1](o) ?? '')), age(o.metadata.creationTimestamp, now)]);
  return renderTable(header, rows);
}

type Col = [string, (o: Resource) => unknown, boolean?];
const short = (arn?: string) => (arn ? arn.slice(arn.lastIndexOf('/') + 1) : '');

const COLUMNS: Record<string, Col[]> = {
  Cluster: [
    ['NAME', (o) => o.metadata.name],
    ['STATUS', (o) => o.status?.status],
    ['SERVICES', (o) => o.status?.activeServicesCount],
    ['RUNNING', (o) => o.status?.runningTasksCount],
    ['PENDING', (o) => o.status?.pendingTasksCount],
    ['INSTANCES', (o) => o.status?.registeredContainerInstancesCount],
  ],
  Service: [
    ['CLUSTER', (o) => clusterOf(o)],
    ['NAME', (o) => o.metadata.name],
    ['DESIRED', (o) => o.status?.desiredCount ?? o.spec.desiredCount],
    ['RUNNING', (o) => o.status?.runningCount],
    ['PENDING', (o) => o.status?.pendingCount],
    ['TASKDEFINITION', (o) => short(o.status?.taskDefinition)],
    ['STATUS', (o) => o.status?.status],
    ['ROLLOUT', (o) => o.status?.deployments?.[0]?.rolloutState],
    ['DEPLOYMENTS', (o) => (o.status?.deployments ?? []).map((d: any) => `${d.id}:${d.status}:${d.runningCount}/${d.desiredCount}`).join(' '), true],
  ],
  Task: [
    ['CLUSTER', (o) => clusterOf(o)],
    ['NAME', (o) => o.metadata.name],
    ['GROUP', (o) => o.status?.group],
    ['LAST', (o) => o.status?.lastStatus],
    ['DESIRED', (o) => o.status?.desiredStatus],
    ['HEALTH', (o) => o.status?.healthStatus],
    ['INSTANCE', (o) => o.status?.containerInstance ?? o.status?.availabilityZone],
    ['TASKDEFINITION', (o) => short(o.status?.taskDefinitionArn), true],
    ['STOPCODE', (o) => o.status?.stopCode, true],
    ['REASON', (o) => o.status?.stoppedReason, true],
  ],
  ContainerInstance: [
    ['CLUSTER', (o) => clusterOf(o)],
    ['NAME', (o) => o.metadata.name],
    ['STATUS', (o) => o.status?.status],
    ['AGENT', (o) => o.status?.agentConnected],
    ['RUNNING', (o) => o.status?.runningTasksCount],
    ['CPU', (o) => remaining(o, 'CPU')],
    ['MEMORY', (o) => remaining(o, 'MEMORY')],
    ['AZ', (o) => o.status?.attributes?.find((a: any) => a.name === 'ecs.availability-zone')?.value, true],
  ],
  TaskDefinition: [
    ['NAME', (o) => o.metadata.name],
    ['REVISION', (o) => o.status?.revision],
    ['CPU', (o) => o.spec.cpu],
    ['MEMORY', (o) => o.spec.memory],
    ['NETWORKMODE', (o) => o.spec.networkMode ?? 'bridge'],
  ],
  TaskDefinitionRevision: [
    ['NAME', (o) => o.metadata.name],
    ['STATUS', (o) => o.status?.status],
    ['REGISTERED', (o) => o.status?.registeredAt],
  ],
};

function remaining(o: Resource, name: string): string {
  const r = o.status?.remainingResources?.find((x: any) => x.name === name)?.integerValue;
  const t = o.status?.registeredResources?.find((x: any) => x.name === name)?.integerValue;
  return r === undefined ? '' : `${r}/${t}`;
}
