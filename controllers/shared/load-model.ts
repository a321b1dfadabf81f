/**
 * Simulated demand per service (Scenario `load` steps). `cpuUtilization: 85` means the service
 * shows 85 % average CPU at its running count at that moment; the demand behind it stays constant
 * afterwards, so with twice the tasks the average halves (capped at 100 %). Likewise memory.
 * `requestsPerMinute` is the total over the service's targets.
 */
import { makeKey } from '../../api/meta.js';

export interface ServiceDemand {
  /** CPU demand in "task-percent" (utilisation × running tasks when it was set). */
  cpu: number;
  memory: number;
  requestsPerMinute: number;
}

export interface LoadStep {
  cluster?: string;
  service: string;
  cpuUtilization?: number;
  memoryUtilization?: number;
  requestsPerMinute?: number;
  /**
   * The steps of one load curve share a baseline: all are relative to the running count at the
   * first of them that found tasks running (controllers/simulation/load-curve.ts).
   */
  baseline?: string;
}

export interface Utilization {
  cpu: number;
  memory: number;
  requestCountPerTarget: number;
}

export class LoadModel {
  private readonly demand = new Map<string, ServiceDemand>();
  private readonly baselines = new Map<string, number>();
  private readonly listeners: Array<(serviceKey: string) => void> = [];

  /** Called with the service's `cluster/name` whenever its load changes (the loops that read it wake). */
  onChange(listener: (serviceKey: string) => void): void {
    this.listeners.push(listener);
  }

  private changed(serviceKey: string): void {
    for (const l of this.listeners) l(serviceKey);
  }

  set(step: LoadStep, runningCount: number): void {
    const key = makeKey(step.cluster ?? 'default', step.service);
    const prev = this.demand.get(key) ?? { cpu: 0, memory: 0, requestsPerMinute: 0 };
    let n = Math.max(1, runningCount);
    if (step.baseline !== undefined) {
      // Fixed at the first step of the curve that finds tasks running (a curve from 0s starts
      // before the service's first task does).
      const b = `${key} ${step.baseline}`;
      const fixed = this.baselines.get(b);
      if (fixed !== undefined) n = fixed;
      else if (runningCount > 0) this.baselines.set(b, n);
    }
    this.demand.set(key, {
      cpu: step.cpuUtilization !== undefined ? step.cpuUtilization * n : prev.cpu,
      memory: step.memoryUtilization !== undefined ? step.memoryUtilization * n : prev.memory,
      requestsPerMinute: step.requestsPerMinute ?? prev.requestsPerMinute,
    });
    this.changed(key);
  }

  /** Forget every service's load (`POST /_ecsplane/reset`). */
  clear(): void {
    const keys = [...this.demand.keys()];
    this.demand.clear();
    this.baselines.clear();
    for (const k of keys) this.changed(k);
  }

  /** Average utilisation at `runningCount` tasks (0 % without load or without tasks). */
  utilization(serviceKey: string, runningCount: number): Utilization {
    const d = this.demand.get(serviceKey);
    if (!d || runningCount <= 0) return { cpu: 0, memory: 0, requestCountPerTarget: 0 };
    return {
      cpu: Math.min(100, d.cpu / runningCount),
      memory: Math.min(100, d.memory / runningCount),
      requestCountPerTarget: d.requestsPerMinute / runningCount,
    };
  }
}
