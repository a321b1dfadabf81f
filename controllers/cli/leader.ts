/**
 * `ecsplane run --leader-elect`: several replicas on one namespace, one active. Before the bridge or
 * any loop starts, the replica waits until it holds the Lease `--leader-elect-resource-name` in the
 * bridge's namespace; a standby runs no loop and writes nothing to Kubernetes (it only reads the Lease).
 * The leader that cannot renew for the renew deadline exits at once (status 1, as controller-runtime's
 * managers do): the next leader rebuilds the store from the custom resources (docs/bridge.md, Restarts).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { parseDuration } from '../../api/duration.js';
import type { App } from '../register.js';
import type { Logger } from '../runtime/logger.js';
import type { Probes } from '../runtime/endpoints.js';
import type { LeaderElector, LeaderElectionTiming, LeaseClient } from '../bridge/leader-election.js';
import { checkTiming, DEFAULT_TIMING } from '../bridge/leader-election.js';
import { DEFAULT_LEASE_NAME } from './run-defaults.js';

export interface LeaderOptions {
  leaderElect?: boolean;
  leaderElectLeaseDuration?: string;
  leaderElectRenewDeadline?: string;
  leaderElectRetryPeriod?: string;
  leaderElectResourceName?: string;
  state?: string;
}

/** What controllers/bridge/index.ts exports for this (loaded dynamically with the bridge). */
export interface LeaderModule {
  leaseClient(kubeconfig: string, namespace: string, name: string): Promise<LeaseClient>;
  LeaderElector: typeof LeaderElector;
}

export { DEFAULT_LEASE_NAME };

/** Checked before anything starts. Undefined without --leader-elect. */
export function leaderTiming(opts: LeaderOptions, bridgeEnabled: boolean): LeaderElectionTiming | undefined {
  const set = opts.leaderElectLeaseDuration ?? opts.leaderElectRenewDeadline ?? opts.leaderElectRetryPeriod ?? opts.leaderElectResourceName;
  if (!opts.leaderElect) {
    if (set !== undefined) throw new Error('--leader-elect-* options need --leader-elect');
    return undefined;
  }
  if (!bridgeEnabled) throw new Error('--leader-elect needs the Kubernetes bridge (--kubeconfig): the Lease lives in its namespace');
  if (opts.state) {
    throw new Error('--leader-elect and --state exclude each other: a state file a replica wrote while it led would win over what the next leader did; the custom resources carry the state across leaders');
  }
  const timing: LeaderElectionTiming = {
    leaseDurationMs: opts.leaderElectLeaseDuration ? parseDuration(opts.leaderElectLeaseDuration, '--leader-elect-lease-duration') : DEFAULT_TIMING.leaseDurationMs,
    renewDeadlineMs: opts.leaderElectRenewDeadline ? parseDuration(opts.leaderElectRenewDeadline, '--leader-elect-renew-deadline') : DEFAULT_TIMING.renewDeadlineMs,
    retryPeriodMs: opts.leaderElectRetryPeriod ? parseDuration(opts.leaderElectRetryPeriod, '--leader-elect-retry-period') : DEFAULT_TIMING.retryPeriodMs,
  };
  checkTiming(timing);
  return timing;
}

/**
 * Wait until this replica leads, then keep renewing in the background; `onLost` when it no longer does.
 * Metric `leader_election_master_status{name}` (client-go's) is 1 while leading, 0 while standing by.
 */
export async function becomeLeader(
  mod: LeaderModule,
  app: App,
  o: { kubeconfig: string; namespace: string; name?: string; timing: LeaderElectionTiming; log: Logger; probes?: Probes; onLost: (why: string) => void },
): Promise<LeaderElector> {
  const name = o.name ?? DEFAULT_LEASE_NAME;
  const client = await mod.leaseClient(o.kubeconfig, o.namespace, name);
  const identity = `${hostname()}_${randomUUID()}`;
  const elector = new mod.LeaderElector(client, { lease: `${o.namespace}/${name}`, identity, timing: o.timing, log: o.log });
  app.metrics?.gauge('leader_election_master_status', 'Whether this replica leads (1) or stands by (0) for the lease `name`', ['name'], (set) => set({ name }, elector.isLeader ? 1 : 0));
  o.probes?.debug.set('/debug/leader', () => ({ lease: `${o.namespace}/${name}`, identity, leader: elector.isLeader, holder: elector.holder }));
  await elector.acquire();
  void elector.renewLoop(o.onLost);
  return elector;
}
