/** Child processes of the chaos tests: `ecsplane run` (to be killed) and `ecsplane apply`. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Resource } from '../../../api/meta.js';

export const CLI = resolve('dist/controllers/cli/main.js');

export interface RunProcess {
  proc: ChildProcess;
  exited: Promise<number | null>;
  stderr(): string;
}

/** `ecsplane run -f <workload> --state <state> --no-watch`, its output discarded but stderr kept. */
export function startRun(workload: string, state: string, extraArgs: string[] = []): RunProcess {
  const proc = spawn(process.execPath, [CLI, 'run', '-f', workload, '--state', state, '--no-watch', ...extraArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err = (err + d).slice(-4000)));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return { proc, exited, stderr: () => err };
}

export async function kill9(run: RunProcess): Promise<void> {
  run.proc.kill('SIGKILL');
  await run.exited;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One `ecsplane ...` command; `onStdout` sees its output as it comes. */
export function ecsplane(args: string[], onStdout?: (chunk: string) => void): Promise<CliResult> {
  return new Promise((done) => {
    const proc = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => {
      stdout += d;
      onStdout?.(String(d));
    });
    proc.stderr.on('data', (d) => (stderr += d));
    proc.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

let applied = 0;

/** `ecsplane apply` of `docs` (written to a file in `dir`) on `state`. */
export async function apply(docs: Resource[], state: string, dir: string, onStdout?: (chunk: string) => void): Promise<CliResult> {
  const file = join(dir, `apply-${process.pid}-${++applied}.json`);
  writeFileSync(file, JSON.stringify(docs));
  try {
    return await ecsplane(['apply', '-f', file, '--state', state], onStdout);
  } finally {
    rmSync(file, { force: true });
  }
}

/** The state file's objects, or undefined while it does not exist or does not parse. */
export function readState(path: string): Resource[] | undefined {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { objects: Resource[] }).objects;
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
