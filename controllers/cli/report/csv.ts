/**
 * `simulate --output csv`: the samples as one table, a row per sample and service (RFC 4180:
 * comma-separated, double-quoted where needed, CRLF line ends).
 */
import type { SimulationResult } from '../../simulation/runner.js';

export const CSV_COLUMNS = [
  't_seconds',
  'cluster',
  'service',
  'desired',
  'running',
  'pending',
  'healthy',
  'cpu_utilization',
  'memory_utilization',
  'deployments',
  'primary_task_definition',
  'primary_rollout_state',
  'failed_tasks',
  'cluster_instances_active',
  'cluster_instances_draining',
] as const;

export function renderCsv(r: SimulationResult): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const s of r.samples) {
    for (const svc of s.services) {
      const primary = svc.deployments.find((d) => d.status === 'PRIMARY');
      const instances = s.containerInstances.filter((i) => i.cluster === svc.cluster);
      const row = [
        s.t,
        svc.cluster,
        svc.name,
        svc.desiredCount,
        svc.runningCount,
        svc.pendingCount,
        svc.healthyCount ?? '',
        svc.cpuUtilization ?? '',
        svc.memoryUtilization ?? '',
        svc.deployments.length,
        primary ? primary.taskDefinition.slice(primary.taskDefinition.lastIndexOf('/') + 1) : '',
        primary?.rolloutState ?? '',
        svc.deployments.reduce((n, d) => n + (d.failedTasks ?? 0), 0),
        instances.filter((i) => i.status === 'ACTIVE').length,
        instances.filter((i) => i.status === 'DRAINING').length,
      ];
      lines.push(row.map((v) => csvField(String(v))).join(','));
    }
  }
  return lines.join('\r\n') + '\r\n';
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
