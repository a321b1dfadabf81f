/**
 * Chaos: fuzzed manifests through `validate` and `apply` (issue #10 §5). A seeded mutator breaks the
 * example manifests (test/chaos/fuzz-mutations.ts); every result is loaded as a file, then run through
 * the validate path (the `validate` command's dry run) and the apply path (a control plane applying
 * each object as `apply` and `run` do), in process; a sample also through the real CLI (`validate` and
 * `apply --state`). It asserts: no crash (only EcsError/ValidationError/ManifestError), no hang (a
 * per-manifest budget), validate's verdict = apply's for every object, every refusal names a field and
 * an ECS exception, and a refused apply leaves the store exactly as it was.
 * Default 2,000 manifests; CHAOS_FULL=1: 10,000 (CHAOS_FUZZ_COUNT=N: N). CHAOS_SEED picks another sequence.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import 'reflect-metadata';
import { EcsError, ErrorType, ValidationError } from '../../api/errors.js';
import type { Resource } from '../../api/meta.js';
import { ManifestError, manifestFiles, parseManifests } from '../../controllers/cli/manifests.js';
import { dryRunApply, verdictLines, type Verdict } from '../../controllers/cli/validate.js';
import { mulberry32 } from '../../controllers/placement/rng.js';
import { createApp } from '../../controllers/register.js';
import { VirtualClock } from '../../controllers/runtime/clock.js';
import { sortForApply } from '../../store/apiserver.js';
import { mutate } from './fuzz-mutations.js';

const FULL = process.env.CHAOS_FULL === '1';
const COUNT = Number(process.env.CHAOS_FUZZ_COUNT ?? (FULL ? 10_000 : 2_000));
const SEED = Number(process.env.CHAOS_SEED ?? 1);
/** Manifests also run through the real CLI (each costs two node processes). */
const CLI_SAMPLE = FULL ? 100 : 25;
/** A manifest taking longer than this in process counts as a hang (a bound, not a speed target). */
const HANG_BUDGET_MS = 10_000;
const CLI_TIMEOUT_MS = 60_000;
const CLI = join(process.cwd(), 'dist/controllers/cli/main.js');
const ECS_TYPES = new Set<string>(Object.values(ErrorType));

/** An object's outcome, comparable across paths: `ok`, or `Type|field|message`. */
type Outcome = string;

interface Result {
  outcomes: Outcome[];
  rejected: number;
  problems: string[];
}

function outcomeOf(err: unknown): Outcome {
  if (err === undefined) return 'ok';
  if (err instanceof EcsError) return `${err.type}|${err.field ?? ''}|${err.bareMessage}`;
  return `CRASH ${(err as Error)?.stack ?? err}`;
}

/** Why a refusal does not name a field and an ECS exception (undefined when it does). */
function unnamed(err: unknown): string | undefined {
  if (!(err instanceof EcsError)) return `not an EcsError: ${(err as Error)?.stack ?? err}`;
  for (const e of err instanceof ValidationError ? err.errors : [err]) {
    if (!ECS_TYPES.has(e.type)) return `unknown exception type ${e.type}`;
    if (!e.field) return `no field: ${e.message}`;
  }
  return undefined;
}

/** The validate path: what `ecsplane validate` computes. */
function validatePath(docs: Resource[]): { verdicts: Verdict[]; result: Result } {
  const verdicts = dryRunApply(docs);
  const result: Result = { outcomes: verdicts.map((v) => outcomeOf(v.error)), rejected: 0, problems: [] };
  for (const v of verdicts) {
    if (v.error === undefined) continue;
    result.rejected++;
    const why = unnamed(v.error);
    if (why) result.problems.push(`validate: ${v.id}: ${why}`);
  }
  return { verdicts, result };
}

/** The apply path: a control plane applying each object on its own, as `apply` and `run` do. */
async function applyPath(docs: Resource[]): Promise<Result> {
  const app = createApp({ clock: new VirtualClock() });
  app.manager.startWatching();
  const resources = docs.filter((d) => d?.kind !== 'Scenario');
  const byDoc = new Map<Resource, Outcome>();
  const result: Result = { outcomes: [], rejected: 0, problems: [] };
  for (const doc of sortForApply(resources)) {
    const before = JSON.stringify(app.store.snapshot());
    try {
      await app.api.applyAndPersist([doc]);
      byDoc.set(doc, 'ok');
    } catch (err) {
      byDoc.set(doc, outcomeOf(err));
      result.rejected++;
      const why = unnamed(err);
      if (why) result.problems.push(`apply: ${why}`);
      if (JSON.stringify(app.store.snapshot()) !== before) result.problems.push(`apply: a refused ${String(doc?.kind)} changed the store`);
    }
  }
  result.outcomes = resources.map((d) => byDoc.get(d)!);
  return result;
}

/** Node failing to load dist/ itself (before any input is read): a build rewriting dist/ at that moment. */
const LOAD_FAILURE = /does not provide an export named|Unexpected end of JSON input|ERR_MODULE_NOT_FOUND/;

function cli(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string; timedOut: boolean } {
  for (let attempt = 0; ; attempt++) {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: CLI_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
    const out = { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut: r.error !== undefined };
    if (attempt < 2 && LOAD_FAILURE.test(out.stderr)) continue;
    return out;
  }
}

/**
 * The example manifests' documents (Scenario and Variant documents dropped: apply refuses them, validate
 * reads them as simulate does).
 * examples/aws-cli holds AWS request bodies (`--cli-input-json`), not manifests.
 */
function seeds(): Resource[][] {
  return manifestFiles(['examples'])
    .filter((f) => !f.startsWith(join('examples', 'aws-cli')))
    .map((f) => parseManifests(readFileSync(f, 'utf8'), f).filter((d) => d.kind !== 'Scenario' && d.kind !== 'Variant'))
    .filter((docs) => docs.length > 0);
}

describe('chaos: fuzzed manifests through validate and apply', function () {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'ecsplane-fuzz-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`${COUNT} mutated manifests: no crash or hang, validate = apply, every refusal named, stored objects unchanged`, async function () {
    this.timeout(FULL ? 3_600_000 : 900_000);
    const rng = mulberry32(SEED);
    const files = seeds();
    expect(files.length).to.be.greaterThan(5);
    const crashes: string[] = [];
    const disagreements: string[] = [];
    const unnamedRefusals: string[] = [];
    const storeChanges: string[] = [];
    const times: number[] = [];
    let hangs = 0;
    let rejectedManifests = 0;
    let loadRejected = 0;
    let objects = 0;
    let objectsRejected = 0;
    let cliChecked = 0;
    const cliEvery = Math.max(1, Math.floor(COUNT / CLI_SAMPLE));

    for (let i = 0; i < COUNT; i++) {
      const seed = files[Math.floor(rng() * files.length)];
      const { mutations, text } = mutate(rng, seed);
      const file = join(dir, `fuzz-${i}.yaml`);
      const label = `#${i} (${mutations})`;
      const t0 = performance.now();
      let docs: Resource[] | undefined;
      let loadError: unknown;
      try {
        docs = parseManifests(text, file);
      } catch (err) {
        loadError = err;
      }
      let verdicts: Verdict[] = [];
      if (loadError !== undefined) {
        if (!(loadError instanceof ManifestError) || !loadError.message.startsWith(`${file}: `)) crashes.push(`${label}: load: ${(loadError as Error)?.stack ?? loadError}`);
        loadRejected++;
        rejectedManifests++;
      } else {
        let v: ReturnType<typeof validatePath> | undefined;
        let a: Result | undefined;
        try {
          v = validatePath(docs!);
        } catch (err) {
          crashes.push(`${label}: validate threw ${(err as Error)?.stack ?? err}`);
        }
        try {
          a = await applyPath(docs!);
        } catch (err) {
          crashes.push(`${label}: apply threw ${(err as Error)?.stack ?? err}`);
        }
        if (v && a) {
          verdicts = v.verdicts;
          objects += a.outcomes.length;
          objectsRejected += a.rejected;
          if (a.rejected > 0) rejectedManifests++;
          for (const o of [...v.result.outcomes, ...a.outcomes]) if (o.startsWith('CRASH')) crashes.push(`${label}: ${o}`);
          for (const p of [...v.result.problems, ...a.problems]) (p.includes('changed the store') ? storeChanges : unnamedRefusals).push(`${label}: ${p}`);
          v.result.outcomes.forEach((o, k) => {
            if (o !== a!.outcomes[k]) disagreements.push(`${label}: object ${k}: validate says ${o.slice(0, 200)}; apply says ${a!.outcomes[k]?.slice(0, 200)}`);
          });
        }
      }
      const ms = performance.now() - t0;
      times.push(ms);
      if (process.env.CHAOS_FUZZ_SLOW && ms > Number(process.env.CHAOS_FUZZ_SLOW)) process.stdout.write(`slow ${label}: ${ms.toFixed(0)} ms, ${text.length} chars\n`);
      if (ms > HANG_BUDGET_MS) hangs++;

      if (i % cliEvery === 0 && text.length < 4 * 1024 * 1024) {
        cliChecked++;
        writeFileSync(file, text);
        const problem = compareCli(file, dir, i, loadError, verdicts);
        if (problem === 'hang') hangs++;
        else if (problem) disagreements.push(`${label}: CLI: ${problem}`);
        rmSync(file, { force: true });
      }
    }

    times.sort((x, y) => x - y);
    const max = times.at(-1) ?? 0;
    const p99 = times[Math.floor(times.length * 0.99)] ?? 0;
    const allNamed = unnamedRefusals.length === 0;
    process.stdout.write(
      `chaos: fuzz ${COUNT} manifests: ${crashes.length} crashes, ${hangs} hangs, ${disagreements.length} disagreements, ` +
        `${rejectedManifests} rejected (${allNamed ? 'all named' : `${unnamedRefusals.length} unnamed`}), ` +
        `stored objects ${storeChanges.length === 0 ? 'unchanged' : `changed ${storeChanges.length} times`}\n` +
        `chaos: fuzz detail: seed ${SEED}; ${objects} objects, ${objectsRejected} refused; ${loadRejected} files refused at load; ` +
        `per manifest p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms (hang budget ${HANG_BUDGET_MS} ms); ${cliChecked} through the CLI\n`,
    );
    const first = (xs: string[]) => xs.slice(0, 5).join('\n');
    expect(crashes, first(crashes)).to.deep.equal([]);
    expect(hangs, 'hangs').to.equal(0);
    expect(disagreements, first(disagreements)).to.deep.equal([]);
    expect(unnamedRefusals, first(unnamedRefusals)).to.deep.equal([]);
    expect(storeChanges, first(storeChanges)).to.deep.equal([]);
    expect(rejectedManifests).to.be.greaterThan(COUNT / 4);
  });
});

/**
 * The real CLI on the same file: `validate` prints exactly the in-process verdicts; `apply --state`
 * (on a fresh state file) accepts exactly the objects validate called valid; a file refused at load is
 * refused by both with the same message. Returns what differs, 'hang', or undefined.
 */
function compareCli(file: string, dir: string, i: number, loadError: unknown, verdicts: Verdict[]): string | undefined {
  const rel = relative(dir, file);
  const state = join(dir, `state-${i}.json`);
  const v = cli(['validate', rel], dir);
  const a = cli(['apply', '-f', rel, '--state', state], dir);
  if (v.timedOut || a.timedOut) return 'hang';
  const crashed = [v, a].find((r) => /TypeError|RangeError|ReferenceError|SyntaxError|at .*\.js:\d+/.test(r.stderr));
  if (crashed) return `crashed: ${crashed.stderr.slice(0, 500)}`;
  if (loadError !== undefined) {
    const msg = `ecsplane: ${(loadError as Error).message.replace(file, rel)}`;
    if (v.code !== 1 || a.code !== 1) return `a file refused at load exited ${v.code} (validate) and ${a.code} (apply)`;
    if (!v.stderr.includes(msg) || !a.stderr.includes(msg)) return `load error differs: ${v.stderr.slice(0, 200)} / ${a.stderr.slice(0, 200)}`;
    return undefined;
  }
  const expected = verdicts.flatMap(verdictLines).join('\n') + (verdicts.length ? '\n' : '');
  if (v.stdout !== expected) return `validate printed\n${v.stdout.slice(0, 400)}\ninstead of\n${expected.slice(0, 400)}`;
  const invalid = verdicts.some((x) => x.error !== undefined);
  if (v.code !== (invalid ? 1 : 0)) return `validate exited ${v.code}`;
  if (a.code !== (invalid ? 1 : 0)) return `apply exited ${a.code} where validate ${invalid ? 'refused an object' : 'accepted all'}: ${a.stderr.slice(0, 300)}`;
  const appliedIds = a.stdout
    .split('\n')
    .filter((l) => / (created|configured|unchanged)$/.test(l))
    .map((l) => l.replace(/ (created|configured|unchanged)$/, ''))
    .sort();
  const validIds = verdicts.filter((x) => x.error === undefined).map((x) => x.id).sort();
  if (JSON.stringify(appliedIds) !== JSON.stringify(validIds)) return `apply accepted [${appliedIds.join(', ')}], validate [${validIds.join(', ')}]`;
  return undefined;
}

