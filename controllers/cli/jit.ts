/**
 * V8 tiering for the long-running server (`ecsplane run`). A request runs through a few hundred
 * small functions, each called once or twice per request, so with V8's default budgets most of them
 * stay in the baseline tier for the first several thousand requests: RunTask calls 3,000–6,000 of a
 * process ran ~30 % below its later speed, ~12 % below with these flags (docs/benchmarks.md, "Sixth
 * pass"). A smaller interrupt budget and one tick before optimising let TurboFan take them sooner
 * (compiled on V8's background thread). Only the versions whose flags are known are tuned: an unknown
 * flag would print an error.
 * https://v8.dev/blog/sparkplug (tiers); flags: `node --v8-options`.
 */
import { setFlagsFromString } from 'node:v8';

export const SERVER_V8_FLAGS = ['--interrupt-budget=16384', '--ticks-before-optimization=1'];
/** V8 majors whose flag list has both (Node 20: 11.3; Node 22: 12.4). */
const TUNED_V8_MAJORS = new Set([11, 12]);

export interface JitEnvironment {
  v8Version: string;
  execArgv: string[];
  nodeOptions: string;
  setFlag: (flag: string) => void;
}

const PROCESS_JIT: JitEnvironment = {
  v8Version: process.versions.v8,
  execArgv: process.execArgv,
  nodeOptions: process.env.NODE_OPTIONS ?? '',
  setFlag: setFlagsFromString,
};

/** Apply SERVER_V8_FLAGS, unless the user chose V8's tiering flags themselves; true when applied. */
export function tuneServerJit(env: JitEnvironment = PROCESS_JIT): boolean {
  if (!TUNED_V8_MAJORS.has(Number(env.v8Version.split('.')[0]))) return false;
  const own = [...env.execArgv, ...env.nodeOptions.split(/\s+/)];
  if (own.some((a) => /^--(interrupt-budget|ticks-before-optimization|max-opt|jitless|no-opt)\b/.test(a))) return false;
  for (const flag of SERVER_V8_FLAGS) env.setFlag(flag);
  return true;
}
