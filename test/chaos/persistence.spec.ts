/**
 * Chaos (issue #10): `kill -9` of `ecsplane run -f <workload> --state S` at seeded random moments of a
 * busy workload (three services in rolling deployments triggered by applies, new clusters applied
 * alongside, every apply a separate `ecsplane apply --state S` through the control socket, or
 * straight to the file once the holder is dead), some kills during startup too. After every kill the
 * file must load, and every apply that printed success must be in it; after every restart no service
 * may exceed maxPercent and all must converge. Default 10 kills (CI), CHAOS_FULL=1: 100.
 *
 * A second test fills the disk for real (as root too): RLIMIT_FSIZE makes the state write fail with
 * EFBIG; the apply fails, memory is undone; lifting the limit makes the next apply work.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResourceStore } from '../../store/store.js';
import { StatePersistence } from '../../store/persistence.js';
import { readLock } from '../../store/lock.js';
import { mulberry32 } from '../../controllers/placement/rng.js';
import { apply, ecsplane, kill9, readState, sleep, startRun, type RunProcess } from './support/processes.js';
import { converged, extraCluster, infrastructure, rollout, SERVICES, seqOf, servicesAboveMaxPercent } from './support/workload.js';

const KILLS = Number(process.env.CHAOS_KILLS ?? (process.env.CHAOS_FULL ? 100 : 10));
const SEED = Number(process.env.CHAOS_SEED ?? 1);
const CONVERGE_WITHIN_MS = 90_000;
const SAMPLE_EVERY_MS = 200;
/** How long the restarted loops act before a converged file counts (a duplicate task shows within 200 ms). */
const SETTLE_MS = 1_500;

describe('chaos: kill -9 of `run --state` under load', function () {
  this.timeout(2 * 60 * 60_000);
  let dir: string;
  const runs: RunProcess[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecsplane-chaos-'));
  });
  after(async () => {
    for (const r of runs) if (r.proc.exitCode === null && r.proc.signalCode === null) await kill9(r);
    rmSync(dir, { recursive: true, force: true });
  });

  it(`kill -9 x${KILLS}: no corrupt file, no acknowledged change lost, no service above maxPercent, converged after every restart`, async () => {
    // Separate streams, so the kill pattern does not depend on how many applies fit in between.
    const rng = mulberry32(SEED);
    const pick = mulberry32(SEED + 1);
    const state = join(dir, 'state.json');
    const workload = join(dir, 'infrastructure.json');
    writeFileSync(workload, JSON.stringify(infrastructure()));
    const start = (extra: string[] = []) => {
      const r = startRun(workload, state, extra);
      runs.push(r);
      return r;
    };
    let seq = 0;
    const ackedRollouts = new Map<string, number>(); // service -> highest acknowledged sequence number
    const ackedClusters: string[] = [];
    const lost: string[] = [];
    const problems: string[] = [];
    let acked = 0;
    let corrupt = 0;
    let startupKills = 0;
    let ackKills = 0;
    let convergedRestarts = 0;
    let tempLeft = 0;
    const overMax = new Set<string>();

    // Half the kills land the instant an apply prints its acknowledgment: a change acknowledged before
    // it was on disk would be lost right there.
    let killOnAck: (() => void) | undefined;
    const onAck = () => killOnAck?.();
    const rolloutOnce = async () => {
      const svc = SERVICES[Math.floor(pick() * SERVICES.length)];
      const n = ++seq;
      const res = await apply(rollout(svc, n), state, dir, onAck);
      if (res.code === 0 && res.stdout.includes(`service/${svc.name}`)) {
        acked++;
        ackedRollouts.set(svc.name, Math.max(n, ackedRollouts.get(svc.name) ?? -1));
      }
    };
    const clusterOnce = async () => {
      const n = ++seq;
      const res = await apply(extraCluster(n), state, dir, onAck);
      if (res.code === 0 && res.stdout.includes(`cluster/chaos-${n}`)) {
        acked++;
        ackedClusters.push(`chaos-${n}`);
      }
    };

    /** After a kill: the file loads, and holds every acknowledged change. */
    const checkFile = async (when: string) => {
      const store = new ResourceStore();
      try {
        await new StatePersistence(state).load(store);
      } catch (err) {
        corrupt++;
        problems.push(`${when}: ${(err as Error).message}`);
        return;
      }
      const objects = store.snapshot().objects;
      for (const [name, n] of ackedRollouts) {
        for (const kind of ['Service', 'TaskDefinition'] as const) {
          if (seqOf(objects, kind, name) < n) lost.push(`${when}: ${kind} ${name} has change ${seqOf(objects, kind, name)}, acknowledged ${n}`);
        }
      }
      for (const c of ackedClusters) if (!objects.some((o) => o.kind === 'Cluster' && o.metadata.name === c)) lost.push(`${when}: cluster ${c} missing`);
      for (const s of servicesAboveMaxPercent(objects)) overMax.add(`${when}: ${s}`);
    };

    /**
     * After a (re)start: sample the file until every service converged; none may exceed maxPercent
     * meanwhile. Only once the new process holds the lock (it has cleaned up and restored) and its
     * loops have had a moment to act: the file left by the killed one may look converged already.
     */
    const watchRestart = async (run: RunProcess, when: string) => {
      const deadline = Date.now() + CONVERGE_WITHIN_MS;
      let settledAt = Infinity;
      while (Date.now() < deadline) {
        await sleep(SAMPLE_EVERY_MS);
        if (run.proc.exitCode !== null) {
          problems.push(`${when}: run exited ${run.proc.exitCode}: ${run.stderr()}`);
          return false;
        }
        if (settledAt === Infinity && readLock(state)?.pid === run.proc.pid) settledAt = Date.now() + SETTLE_MS;
        const objects = readState(state);
        if (!objects) continue;
        for (const s of servicesAboveMaxPercent(objects)) overMax.add(`${when}: ${s}`);
        if (Date.now() >= settledAt && converged(objects)) return true;
      }
      problems.push(`${when}: not converged within ${CONVERGE_WITHIN_MS / 1000} s`);
      return false;
    };
    const tempFiles = () => readdirSync(dir).filter((f) => f.startsWith('.state.json.') && f.endsWith('.tmp'));

    // A fresh start, the services created through the control socket, converged.
    let run = start();
    for (const svc of SERVICES) {
      const n = ++seq;
      let res = await apply(rollout(svc, n), state, dir);
      for (let attempt = 0; attempt < 20 && res.code !== 0; attempt++) {
        await sleep(250); // the run is still starting
        res = await apply(rollout(svc, n), state, dir);
      }
      expect(res.code, res.stderr).to.equal(0);
      ackedRollouts.set(svc.name, n);
    }
    expect(await watchRestart(run, 'first start'), problems.join('\n')).to.equal(true);

    for (let k = 1; k <= KILLS; k++) {
      // Busy: rolling deployments and new clusters applied concurrently; kill -9 at a random moment.
      let killed = false;
      const stream = async (once: () => Promise<unknown>) => {
        while (!killed) await once();
      };
      const streams = [stream(rolloutOnce), stream(clusterOnce)];
      const busyMs = 300 + rng() * 3700;
      if (rng() < 0.5) {
        await sleep(busyMs / 2);
        const victim = run;
        await Promise.race([new Promise<void>((armed) => (killOnAck = () => (victim.proc.kill('SIGKILL'), armed()))), sleep(5_000)]);
        killOnAck = undefined;
        ackKills++;
      } else {
        await sleep(busyMs);
      }
      await kill9(run);
      killed = true;
      await Promise.all(streams); // in-flight applies end: refused, or straight to the file (holder dead)
      await checkFile(`kill ${k}`);

      if (rng() < 0.3) {
        // Killed again while starting: taking the lock, restoring, re-applying the workload.
        const early = start();
        await sleep(50 + rng() * 1500);
        await kill9(early);
        startupKills++;
        await checkFile(`kill ${k} (during startup)`);
      }

      const leftBehind = tempFiles();
      run = start();
      if (await watchRestart(run, `restart ${k}`)) convergedRestarts++;
      const stillThere = leftBehind.filter((f) => tempFiles().includes(f));
      tempLeft += stillThere.length;
      if (stillThere.length) problems.push(`restart ${k}: killed writers' temp files still there: ${stillThere.join(', ')}`);
    }

    // A graceful stop saves and releases.
    run.proc.kill('SIGTERM');
    const code = await run.exited;

    console.log(
      `chaos: kill -9 x${KILLS} (${ackKills} the instant an apply was acknowledged, +${startupKills} during startup, seed ${SEED}): ${corrupt} corrupt files, ${lost.length} acknowledged changes lost (of ${acked} acknowledged applies), ` +
        `${overMax.size} services above maxPercent after restart, converged ${convergedRestarts}/${KILLS}, ${tempLeft} killed writers' temp files left after restart`,
    );
    expect(problems, 'problems').to.deep.equal([]);
    expect(corrupt, 'corrupt files').to.equal(0);
    expect(lost, 'acknowledged changes lost').to.deep.equal([]);
    expect([...overMax], 'services above maxPercent').to.deep.equal([]);
    expect(convergedRestarts).to.equal(KILLS);
    expect(tempLeft).to.equal(0);
    expect(acked).to.be.greaterThan(KILLS, 'applies were acknowledged along the way');
    expect(code, `SIGTERM exit: ${run.stderr()}`).to.equal(0);
  });

  it('a full disk (RLIMIT_FSIZE, real for root too): the apply fails and is undone; once lifted the next one works', async function () {
    try {
      execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    } catch {
      this.skip(); // util-linux prlimit sets and lifts the limit of the running process
    }
    const state = join(dir, 'full.json');
    const workload = join(dir, 'infrastructure.json');
    writeFileSync(workload, JSON.stringify(infrastructure()));
    const run = startRun(workload, state);
    runs.push(run);
    try {
      let res = await apply(rollout(SERVICES[0], 1), state, dir);
      for (let i = 0; i < 20 && res.code !== 0; i++) {
        await sleep(250); // the run is still starting
        res = await apply(rollout(SERVICES[0], 1), state, dir);
      }
      expect(res.code, res.stderr).to.equal(0);
      for (let i = 0; i < 100 && !readState(state)?.some((o) => o.kind === 'Task' && o.status?.lastStatus === 'RUNNING'); i++) await sleep(100);
      // Writes of the run may now grow the file by a few KB at most; a 16 KB object passes the limit.
      const limit = JSON.stringify(readState(state)).length + 8 * 1024;
      execFileSync('prlimit', ['--pid', String(run.proc.pid), `--fsize=${limit}:unlimited`]);
      const big = { ...extraCluster(0)[0], metadata: { name: 'big', annotations: { note: 'x'.repeat(16 * 1024) } } };
      res = await apply([big], state, dir);
      expect(res.code).to.equal(1);
      expect(res.stderr).to.match(/cluster\/big: StateWriteError: could not write the state file .*: EFBIG.*the change was not saved and has been undone/);
      const clusters = await ecsplane(['get', 'clusters', '--state', state]);
      expect(clusters.stdout, 'undone in memory').to.not.match(/\bbig\b/);

      execFileSync('prlimit', ['--pid', String(run.proc.pid), '--fsize=unlimited:unlimited']);
      res = await apply([big], state, dir);
      expect(res.code, res.stderr).to.equal(0);
      expect(readState(state)!.some((o) => o.metadata.name === 'big')).to.equal(true);
      run.proc.kill('SIGTERM');
      expect(await run.exited, run.stderr()).to.equal(0);
      console.log('chaos: full disk (EFBIG): apply refused and undone, the next apply after the limit was lifted written, SIGTERM exit 0');
    } finally {
      if (run.proc.exitCode === null) await kill9(run);
    }
  });
});
