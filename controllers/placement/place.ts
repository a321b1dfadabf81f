/**
 * EC2 task placement (ecs-semantics §5): filter → constraints → strategies → pick, one task at a
 * time, on a private working copy of the fleet (remaining CPU/memory, ports, task counts).
 *
 * Cost: O(n + tasks in the fleet) set-up per request, then O(eligible instances × strategies) per
 * placed task (one linear scan, no sorting, no per-placement allocation beyond the result). Only
 * the instance that received a task changes, so its eligibility is the only one re-evaluated;
 * memberOf expressions that do not read task:group or runningTasksCount are evaluated once.
 */
import { EcsError, ErrorType } from '../../api/errors.js';
import { DYNAMIC_PORT_RANGE } from './ports.js';
import { attributeValue } from './cql.js';
import { pickIndex } from './rng.js';
import { compileConstraints, compileStrategies } from './strategy.js';
import type { InstanceView, Placement, PlacementFailure, PlacementRequest, PlacementResult } from './types.js';

const R_OK = 0;
const R_INACTIVE = 1;
const R_DRAINING = 2;
const R_AGENT = 3;
const R_CPU = 4;
const R_MEMORY = 5;
const R_PORTS = 6;
const R_PORTS_UDP = 7;
const R_ATTRIBUTE = 8;
const R_ENI = 9;
const REASONS = ['', 'INACTIVE', 'DRAINING', 'AGENT', 'RESOURCE:CPU', 'RESOURCE:MEMORY', 'RESOURCE:PORTS', 'RESOURCE:PORTS_UDP', 'ATTRIBUTE', 'RESOURCE:ENI'];

const K_BINPACK_CPU = 0;
const K_BINPACK_MEMORY = 1;
const K_SPREAD_INSTANCE = 2;
const K_SPREAD_ATTRIBUTE = 3;

function uniquePorts(ports: readonly number[] | undefined): number[] {
  return ports ? [...new Set(ports)] : [];
}

function nonNegativeInt(n: number | undefined, field: string): number {
  const v = n ?? 0;
  if (!Number.isInteger(v) || v < 0) throw new EcsError(ErrorType.InvalidParameter, `must be a non-negative integer, got ${v}`, field);
  return v;
}

/** Place `count` tasks sequentially. Never mutates the request. */
export function placeTasks(req: PlacementRequest): PlacementResult {
  const { instances, task, rng } = req;
  const count = nonNegativeInt(req.count, 'count');
  const cons = compileConstraints(req.constraints ?? []);
  const chain = compileStrategies(req.strategy ?? []);
  const placements: Placement[] = [];
  const n = instances.length;
  if (count === 0) return { placements, failures: [], unplaced: 0 };
  if (n === 0) return { placements, failures: [], unplaced: count };

  // Strategies after `random` can never break a tie: random leaves none.
  let ns = chain.findIndex((s) => s.kind === 'random');
  const random = ns >= 0;
  if (!random) ns = chain.length;

  const cpu = task.cpu ?? 0;
  const mem = task.memory ?? 0;
  const sTcp = uniquePorts(task.staticTcpPorts);
  const sUdp = uniquePorts(task.staticUdpPorts);
  const dTcp = nonNegativeInt(task.dynamicTcpPorts, 'task.dynamicTcpPorts');
  const dUdp = nonNegativeInt(task.dynamicUdpPorts, 'task.dynamicUdpPorts');
  const [lo, hi] = DYNAMIC_PORT_RANGE;
  const sTcpInRange = sTcp.filter((p) => p >= lo && p <= hi).length;
  const sUdpInRange = sUdp.filter((p) => p >= lo && p <= hi).length;
  const nsTcp = sTcp.length;
  const nsUdp = sUdp.length;
  const group = task.group;
  const serviceKey = task.serviceKey;
  const groupList: readonly string[] = [group];
  const { distinctInstance, staticExprs, dynamicExprs } = cons;
  const nStatic = staticExprs.length;
  const nDynamic = dynamicExprs.length;

  // ---- working copy -------------------------------------------------------------------------
  const names: string[] = new Array(n);
  const remCpu = new Float64Array(n);
  const remMem = new Float64Array(n);
  const enis = task.enis ?? 0;
  const remEni = enis > 0 ? new Float64Array(n) : undefined;
  const reason = new Uint8Array(n);
  const placed = new Int32Array(n);
  const distinctCnt = distinctInstance ? new Int32Array(n) : undefined;
  // Free ports of the dynamic range: a cheap lower bound (range size - used ports) until it
  // runs short, then the exact count (exact*[i] = 1). Both shrink by what each placement takes.
  const rangeSize = hi - lo + 1;
  const freeTcp = dTcp > 0 ? new Int32Array(n) : undefined;
  const freeUdp = dUdp > 0 ? new Int32Array(n) : undefined;
  const exactTcp = dTcp > 0 ? new Uint8Array(n) : undefined;
  const exactUdp = dUdp > 0 ? new Uint8Array(n) : undefined;
  const exactFree = (used: ReadonlySet<number>, extra: ReadonlySet<number> | undefined): number => {
    let taken = 0;
    for (const p of used) if (p >= lo && p <= hi) taken++;
    if (extra) for (const p of extra) if (p >= lo && p <= hi && !used.has(p)) taken++;
    return rangeSize - taken;
  };
  /**
   * Dynamic-port capacity. Exhausting 28k ports is rare, so the check is deferred: set-up skips
   * it (sparing a look at every instance's port sets) and an instance is verified when it is
   * first picked (verified*[i]); failures re-check the instances it could have excluded.
   */
  const verifiedTcp = dTcp > 0 ? new Uint8Array(n) : undefined;
  const verifiedUdp = dUdp > 0 ? new Uint8Array(n) : undefined;
  const dynamicPortsOk = (
    free: Int32Array,
    exact: Uint8Array,
    used: ReadonlySet<number>,
    extra: ReadonlySet<number> | undefined,
    i: number,
    staticInRange: number,
    needed: number,
  ): boolean => {
    if (free[i] - staticInRange >= needed) return true;
    if (!exact[i]) {
      free[i] = exactFree(used, extra);
      exact[i] = 1;
    }
    return free[i] - staticInRange >= needed;
  };
  /** R_OK, or the dynamic-port reason of an instance not yet verified (marks it verified). */
  const verifyDynamicPorts = (i: number): number => {
    const inst = instances[i];
    if (verifiedTcp && !verifiedTcp[i]) {
      verifiedTcp[i] = 1;
      freeTcp![i] = rangeSize - inst.usedTcpPorts.size;
      if (!dynamicPortsOk(freeTcp!, exactTcp!, inst.usedTcpPorts, extraTcp![i], i, sTcpInRange, dTcp)) return R_PORTS;
    }
    if (verifiedUdp && !verifiedUdp[i]) {
      verifiedUdp[i] = 1;
      freeUdp![i] = rangeSize - inst.usedUdpPorts.size;
      if (!dynamicPortsOk(freeUdp!, exactUdp!, inst.usedUdpPorts, extraUdp![i], i, sUdpInRange, dUdp)) return R_PORTS_UDP;
    }
    return R_OK;
  };
  const cursorTcp = dTcp > 0 ? new Int32Array(n).fill(lo) : undefined;
  const cursorUdp = dUdp > 0 ? new Int32Array(n).fill(lo) : undefined;
  const extraTcp: (Set<number> | undefined)[] | undefined = nsTcp + dTcp > 0 ? new Array(n) : undefined;
  const extraUdp: (Set<number> | undefined)[] | undefined = nsUdp + dUdp > 0 ? new Array(n) : undefined;

  // Strategy keys: kinds[s], and for attribute spread bucketOf[s][i] / bucketCount[s][bucket].
  const kinds = new Uint8Array(ns);
  const bucketOf: Int32Array[] = new Array(ns);
  const bucketCount: Int32Array[] = new Array(ns);
  let spreadInst: Int32Array | undefined;
  let needSpread = false;
  for (let s = 0; s < ns; s++) {
    const st = chain[s];
    if (st.kind === 'binpack') kinds[s] = st.resource === 'cpu' ? K_BINPACK_CPU : K_BINPACK_MEMORY;
    else if (st.kind === 'spreadInstance') (kinds[s] = K_SPREAD_INSTANCE), (needSpread = true);
    else if (st.kind === 'spreadAttribute') (kinds[s] = K_SPREAD_ATTRIBUTE), (needSpread = true);
  }
  if (needSpread) {
    // Tasks of this service (else of this group) per instance, counted over the whole fleet.
    spreadInst = new Int32Array(n);
    const known = serviceKey !== undefined ? req.task.serviceTasksPerInstance : undefined;
    if (known) {
      // The service's own count per instance: one small map, not a lookup in every instance's (a
      // launch at 4,000 instances spent a third of its placement time there).
      if (known.size > 0) for (let i = 0; i < n; i++) spreadInst[i] = known.get(instances[i].name) ?? 0;
    } else for (let i = 0; i < n; i++) {
      const tasks = instances[i].tasks;
      const perService = instances[i].tasksPerService;
      let c = 0;
      if (serviceKey !== undefined && perService !== undefined) {
        c = perService.get(serviceKey) ?? 0;
      } else if (serviceKey !== undefined) {
        for (let k = 0; k < tasks.length; k++) if (tasks[k].serviceKey === serviceKey) c++;
      } else {
        for (let k = 0; k < tasks.length; k++) if (tasks[k].group === group) c++;
      }
      spreadInst[i] = c;
    }
    for (let s = 0; s < ns; s++) {
      const st = chain[s];
      if (st.kind !== 'spreadAttribute') continue;
      const name = st.attribute;
      const ids = new Map<string | null | undefined, number>();
      const of = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const attrs = instances[i].attributes;
        const key = attributeValue(attrs, name);
        let id = ids.get(key);
        if (id === undefined) ids.set(key, (id = ids.size));
        of[i] = id;
      }
      const counts = new Int32Array(ids.size);
      for (let i = 0; i < n; i++) counts[of[i]] += spreadInst[i];
      bucketOf[s] = of;
      bucketCount[s] = counts;
    }
  }

  /** First reason that excludes instance i now (R_OK when it can take one more task). */
  const check = (i: number, setup: boolean): number => {
    const inst = instances[i];
    if (inst.status !== 'ACTIVE') return inst.status === 'DRAINING' ? R_DRAINING : R_INACTIVE;
    if (!inst.agentConnected) return R_AGENT;
    if (!(remCpu[i] >= cpu)) return R_CPU; // also rejects NaN
    if (!(remMem[i] >= mem)) return R_MEMORY;
    if (remEni && !(remEni[i] >= enis)) return R_ENI; // each awsvpc task takes one of the instance's ENIs
    if (nsTcp > 0) {
      const used = inst.usedTcpPorts;
      const extra = extraTcp![i];
      for (let k = 0; k < nsTcp; k++) {
        const p = sTcp[k];
        if (used.has(p) || (extra !== undefined && extra.has(p))) return R_PORTS;
      }
    }
    if (freeTcp && !setup && !dynamicPortsOk(freeTcp, exactTcp!, inst.usedTcpPorts, extraTcp![i], i, sTcpInRange, dTcp)) return R_PORTS;
    if (nsUdp > 0) {
      const used = inst.usedUdpPorts;
      const extra = extraUdp![i];
      for (let k = 0; k < nsUdp; k++) {
        const p = sUdp[k];
        if (used.has(p) || (extra !== undefined && extra.has(p))) return R_PORTS_UDP;
      }
    }
    if (freeUdp && !setup && !dynamicPortsOk(freeUdp, exactUdp!, inst.usedUdpPorts, extraUdp![i], i, sUdpInRange, dUdp)) return R_PORTS_UDP;
    if (distinctCnt) {
      if (setup) {
        const tasks = inst.tasks;
        let c = 0;
        for (let k = 0; k < tasks.length; k++) {
          const t = tasks[k];
          if (t.group === group || (serviceKey !== undefined && t.serviceKey === serviceKey)) c++;
        }
        distinctCnt[i] = c;
      }
      if (distinctCnt[i] > 0) return R_ATTRIBUTE;
    }
    if (setup) for (let k = 0; k < nStatic; k++) if (!staticExprs[k].test(inst, undefined, 0)) return R_ATTRIBUTE;
    if (nDynamic > 0) {
      const p = placed[i];
      const g = p > 0 ? groupList : undefined;
      for (let k = 0; k < nDynamic; k++) if (!dynamicExprs[k].test(inst, g, p)) return R_ATTRIBUTE;
    }
    return R_OK;
  };

  /** The task's constraints alone (not resources or status) allow instance i now. */
  const constraintsAllow = (i: number): boolean => {
    const inst = instances[i];
    if (distinctInstance) {
      for (const t of inst.tasks) if (t.group === group || (serviceKey !== undefined && t.serviceKey === serviceKey)) return false;
      if (placed[i] > 0) return false;
    }
    for (let k = 0; k < nStatic; k++) if (!staticExprs[k].test(inst, undefined, 0)) return false;
    const p = placed[i];
    for (let k = 0; k < nDynamic; k++) if (!dynamicExprs[k].test(inst, p > 0 ? groupList : undefined, p)) return false;
    return true;
  };

  const elig = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const inst = instances[i];
    names[i] = inst.name;
    remCpu[i] = inst.remainingCpu;
    remMem[i] = inst.remainingMemory;
    if (remEni) remEni[i] = inst.remainingEnis ?? Infinity;
    const r = check(i, true);
    reason[i] = r;
    if (r === R_OK) elig[m++] = i;
  }
  // Views usually come sorted by name (the control plane's are): then the lowest name among tied
  // candidates is simply the first of them in scan order, without comparing names per placement.
  let namesAscending = true;
  for (let i = 1; i < n && namesAscending; i++) if (names[i - 1] > names[i]) namesAscending = false;
  if (random) {
    // Random picks among ties in instance-name order, so the outcome only depends on the rng.
    let sorted = namesAscending;
    for (let e = 1; e < m && sorted; e++) if (names[elig[e - 1]] > names[elig[e]]) sorted = false;
    if (!sorted) {
      const part = Array.from(elig.subarray(0, m)).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : a - b));
      elig.set(part);
    }
  }

  // Candidate buffer: positions in `elig` still tied after the strategies applied so far.
  const buf = new Int32Array(n);

  const deferred = dTcp > 0 || dUdp > 0;
  let done = 0;
  while (done < count && m > 0) {
    // ---- pick: lexicographic minimum of the strategy keys, one tight pass per strategy -------
    // Each pass keeps only the candidates equal to the minimum of its key (in scan order).
    let w = m;
    for (let s = 0; s < ns; s++) {
      const src = s === 0 ? undefined : buf;
      const len = w;
      w = 0;
      let min = Infinity;
      switch (kinds[s]) {
        case K_BINPACK_CPU:
        case K_BINPACK_MEMORY: {
          const rem = kinds[s] === K_BINPACK_CPU ? remCpu : remMem;
          for (let c = 0; c < len; c++) {
            const pos = src ? src[c] : c;
            const v = rem[elig[pos]];
            if (v < min) (min = v), (w = 0), (buf[w++] = pos);
            else if (v === min) buf[w++] = pos;
          }
          break;
        }
        case K_SPREAD_INSTANCE: {
          const cnt = spreadInst!;
          for (let c = 0; c < len; c++) {
            const pos = src ? src[c] : c;
            const v = cnt[elig[pos]];
            if (v < min) (min = v), (w = 0), (buf[w++] = pos);
            else if (v === min) buf[w++] = pos;
          }
          break;
        }
        default: {
          const of = bucketOf[s];
          const cnt = bucketCount[s];
          for (let c = 0; c < len; c++) {
            const pos = src ? src[c] : c;
            const v = cnt[of[elig[pos]]];
            if (v < min) (min = v), (w = 0), (buf[w++] = pos);
            else if (v === min) buf[w++] = pos;
          }
        }
      }
      if (w === 1) break;
    }
    // w candidates remain: buf[0..w) when a strategy ran, else every eligible position.
    let bestPos: number;
    if (w === 1) bestPos = ns > 0 ? buf[0] : 0;
    else if (random) {
      const r = pickIndex(rng, w);
      bestPos = ns > 0 ? buf[r] : r;
    } else if (namesAscending) {
      bestPos = ns > 0 ? buf[0] : 0; // candidates are in index order, which is name order
    } else {
      bestPos = ns > 0 ? buf[0] : 0;
      let bestName = names[elig[bestPos]];
      for (let c = 1; c < w; c++) {
        const pos = ns > 0 ? buf[c] : c;
        const nm = names[elig[pos]];
        if (nm < bestName) (bestName = nm), (bestPos = pos);
      }
    }
    const best = elig[bestPos];
    if (deferred) {
      const r = verifyDynamicPorts(best);
      if (r !== R_OK) {
        reason[best] = r;
        elig.copyWithin(bestPos, bestPos + 1, m);
        m--;
        continue;
      }
    }

    // ---- apply ------------------------------------------------------------------------------
    const i = best;
    const inst: InstanceView = instances[i];
    remCpu[i] -= cpu;
    remMem[i] -= mem;
    if (remEni) remEni[i] -= enis;
    const tcpHostPorts: number[] = [];
    const udpHostPorts: number[] = [];
    if (extraTcp) {
      let extra = extraTcp[i];
      if (extra === undefined) extraTcp[i] = extra = new Set<number>();
      for (let k = 0; k < nsTcp; k++) extra.add(sTcp[k]);
      if (dTcp > 0) {
        const used = inst.usedTcpPorts;
        let p = cursorTcp![i];
        for (let k = 0; k < dTcp; k++) {
          while (p <= hi && (used.has(p) || extra.has(p))) p++;
          extra.add(p);
          tcpHostPorts.push(p);
          p++;
        }
        cursorTcp![i] = p;
        freeTcp![i] -= sTcpInRange + dTcp;
      }
    }
    if (extraUdp) {
      let extra = extraUdp[i];
      if (extra === undefined) extraUdp[i] = extra = new Set<number>();
      for (let k = 0; k < nsUdp; k++) extra.add(sUdp[k]);
      if (dUdp > 0) {
        const used = inst.usedUdpPorts;
        let p = cursorUdp![i];
        for (let k = 0; k < dUdp; k++) {
          while (p <= hi && (used.has(p) || extra.has(p))) p++;
          extra.add(p);
          udpHostPorts.push(p);
          p++;
        }
        cursorUdp![i] = p;
        freeUdp![i] -= sUdpInRange + dUdp;
      }
    }
    placed[i]++;
    if (distinctCnt) distinctCnt[i]++;
    if (spreadInst) {
      spreadInst[i]++;
      for (let s = 0; s < ns; s++) if (kinds[s] === K_SPREAD_ATTRIBUTE) bucketCount[s][bucketOf[s][i]]++;
    }
    placements.push({ instance: inst.name, tcpHostPorts, udpHostPorts });
    done++;

    const r = check(i, false);
    if (r !== R_OK) {
      reason[i] = r;
      elig.copyWithin(bestPos, bestPos + 1, m);
      m--;
    }
  }

  const failures: PlacementFailure[] = [];
  if (done < count) {
    if (deferred) {
      // A deferred dynamic-port shortage precedes the reasons found after it (udp, constraints).
      for (let i = 0; i < n; i++) {
        if (reason[i] > R_PORTS) {
          const r = verifyDynamicPorts(i);
          if (r !== R_OK && r < reason[i]) reason[i] = r;
        }
      }
    }
    // Instances the task's constraints allow come first: the "closest matching container instance"
    // ECS names (failures[0]) is one the task could run on, short of resources; the rest follow.
    const allowed: PlacementFailure[] = [];
    const others: PlacementFailure[] = [];
    for (let i = 0; i < n; i++) (reason[i] !== R_ATTRIBUTE && constraintsAllow(i) ? allowed : others).push({ arn: instances[i].arn, reason: REASONS[reason[i]] });
    failures.push(...allowed, ...others);
  }
  return { placements, failures, unplaced: count - done };
}
