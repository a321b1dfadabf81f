/**
 * The README's first command, exactly as a new user types it: `make run`, no other flag. It must
 * keep running until Ctrl-C (on a terminal and off it) and show the quickstart converging.
 * Real clock: the quickstart reaches its steady state ~45 s after start (README, "Worked example").
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve('.');
const STEADY = [
  '(service web-app) has reached a steady state.',
  '(service api) has reached a steady state.',
  'service prod/web-app desired=3 running=3 pending=0 status=ACTIVE deployments=[PRIMARY:3/3:COMPLETED]',
  'service prod/api desired=3 running=3 pending=0 status=ACTIVE deployments=[PRIMARY:3/3:COMPLETED]',
];

interface Proc {
  child: ChildProcess;
  out: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start a command in its own process group (so Ctrl-C reaches make and node alike). */
function start(cmd: string, args: string[]): Proc {
  const child = spawn(cmd, args, { cwd: ROOT, detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return { child, out: () => out, exited };
}

/** Resolve once `pred` holds, polling the output; reject with what was printed after `ms`. */
async function waitFor(p: Proc, what: string, pred: (out: string) => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred(p.out())) {
    if (p.child.exitCode !== null) throw new Error(`exited (${p.child.exitCode}) before ${what}:\n${p.out().slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms:\n${p.out().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Ctrl-C as a shell delivers it: SIGINT to the foreground process group. */
function interrupt(p: Proc): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (p.child.exitCode === null) process.kill(-p.child.pid!, 'SIGINT');
  return p.exited;
}

/** Ctrl-C typed on the terminal: the pseudo-terminal turns it into SIGINT for the program. */
function typeCtrlC(p: Proc): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  p.child.stdin!.write('\x03');
  return p.exited;
}

describe('README: `make run` as written', function () {
  this.timeout(240_000);
  const procs: Proc[] = [];
  after(async () => {
    for (const p of procs) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
      try {
        process.kill(-p.child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });

  it('runs until Ctrl-C, off a terminal (make run) and on one (ecsplane run -f examples/quickstart), and shows the steady state', async () => {
    const plain = start('make', ['run']);
    procs.push(plain);
    // `make run` builds first; the terminal run starts once dist/ is built (the first object is created).
    await waitFor(plain, 'the first apply', (o) => o.includes('cluster/prod created'), 180_000);
    // `script` gives the command a pseudo-terminal, as a user's shell has: the redrawn table. `exec`:
    // an interactive shell keeps itself out of the foreground job, so Ctrl-C reaches the program
    // alone; without it `script` runs $SHELL -c, and dash (CI's /bin/sh) would die of the SIGINT.
    const tty = start('script', ['-qfec', 'exec node dist/controllers/cli/main.js run -f examples/quickstart', '/dev/null']);
    procs.push(tty);

    await waitFor(plain, 'steady state of both services', (o) => STEADY.every((s) => o.includes(s)), 120_000);
    expect(plain.out()).to.match(/has started 3 tasks/); // events of the first instant are shown

    const table = (o: string) => o.split('\x1b[H\x1b[2J').at(-1) ?? '';
    const converged = (o: string) => /prod\/web-app\s+3\s+3\s+0\s+ACTIVE\s+PRIMARY web-app:1 3\/3 COMPLETED/.test(table(o)) && /prod\/api\s+3\s+3\s+0\s+ACTIVE\s+PRIMARY api:1 3\/3 COMPLETED/.test(table(o));
    await waitFor(tty, 'the converged table', converged, 120_000);
    expect(table(tty.out())).to.match(/SERVICE\s+DESIRED\s+RUNNING\s+PENDING\s+STATUS\s+DEPLOYMENTS/);
    // The terminal UI (controllers/cli/dashboard.ts): deployment progress, the task pane, instances.
    expect(table(tty.out())).to.match(/COMPLETED\s+web-app:1 ▇▇▇ 3\/3/);
    expect(table(tty.out())).to.contain('tasks not running: none');
    expect(table(tty.out())).to.match(/prod\/i-a\s+ACTIVE\s+connected\s+1\s/);
    expect(tty.out()).to.match(/has started 3 tasks/);

    // Converged and still running: nothing but Ctrl-C ends it.
    const mark = plain.out().length;
    await waitFor(plain, 'another second of life', () => false, 1500).catch((e: Error) => {
      if (!e.message.startsWith('no another')) throw e;
    });
    expect(plain.child.exitCode, plain.out().slice(mark)).to.equal(null);
    expect(tty.child.exitCode, tty.out().slice(-2000)).to.equal(null);

    // make reports the interrupt and dies of SIGINT itself once `ecsplane run` has stopped (exit 130 in a shell).
    const made = await interrupt(plain);
    expect(made.code === 0 || made.signal === 'SIGINT', JSON.stringify(made)).to.equal(true);
    expect(plain.out().slice(mark)).not.to.match(/Error|at .*\.js:\d+/);
    const typed = await typeCtrlC(tty);
    expect(typed.code, tty.out().slice(-2000)).to.equal(0);
  });
});
