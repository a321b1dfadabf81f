/**
 * What `simulate` loads (issue #16: every example ≤ 0.5 s, start-up included). Each command imports
 * what only it needs when it runs; these are the libraries and modules a simulation never needs, which
 * a top-level import elsewhere would silently bring back (each costs 5–50 ms of every start).
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every module `node dist/controllers/cli/main.js ARGS` loads (URLs and paths). */
function modulesLoadedBy(args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'ecsplane-modules-'));
  try {
    const trace = join(dir, 'trace');
    execFileSync(process.execPath, ['--import', './test/support/module-trace.mjs', 'dist/controllers/cli/main.js', ...args], {
      env: { ...process.env, ECSPLANE_MODULE_TRACE: trace },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return [...new Set(readFileSync(trace, 'utf8').split('\n').filter(Boolean))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a simulation does not need, and why it was loaded before. */
const NOT_FOR_SIMULATE: [RegExp, string][] = [
  [/node_modules\/ajv\/(?!dist\/runtime\/)/, "ajv's compiler (the spec validators are precompiled: api/schema/validators)"],
  [/\/api\/v1alpha1\/schemas\/.*\.json$/, 'the schema files (read for CRDs and the bridge only)'],
  [/node_modules\/rxjs\/dist\/cjs\/(index|operators)/, "rxjs's index, which loads every operator (use store/rx.ts)"],
  [/node_modules\/(pino|prom-client|@opentelemetry)\//, "run's logger and metrics (required when run builds them)"],
  [/node_modules\/(lowdb|vega|vega-lite|ink|react|@kubernetes|@aws-sdk|selfsigned)\//, 'state files, charts, the terminal UI, the bridge, AWS clients'],
  [/^node:(http|https|net|tls)$/, "the network (run's endpoints, the control socket)"],
  [/\/dist\/controllers\/(bridge|aws)\//, 'the Kubernetes bridge and the AWS API'],
  [/\/dist\/controllers\/cli\/(run|client|state|control|observability|leader|dashboard|validate)\.js$/, 'the modules of the other commands'],
  // ES module URLs: these CommonJS packages are required (controllers/runtime/di.ts, reflect.ts, cli/yaml.ts,
  // cli/main.ts); an import makes Node scan them (and what they re-export) for export names first.
  [/^file:.*\/node_modules\/(reflect-metadata|yaml|tsyringe|commander)\//, 'a CommonJS package through an import (scanned for export names) instead of require'],
];

describe('simulate start-up: the modules it loads', function () {
  this.timeout(60_000);

  it('none of what only other commands, outputs or the bridge need', () => {
    const loaded = modulesLoadedBy(['simulate', 'examples/scaling/scheduled-actions.yaml']);
    // The trace sees ES modules, CommonJS modules and builtins (else the checks below would pass vacuously).
    expect(loaded.some((m) => m.endsWith('/dist/controllers/simulation/runner.js'))).to.equal(true);
    expect(loaded.some((m) => /node_modules\/yaml\/dist\/compose\/composer\.js$/.test(m))).to.equal(true);
    expect(loaded.some((m) => m.endsWith('/dist/api/schema/validators/scheduled-action.cjs'))).to.equal(true);
    expect(loaded).to.include('node:crypto');
    for (const [pattern, what] of NOT_FOR_SIMULATE) {
      const found = loaded.filter((m) => pattern.test(m));
      expect(found, `simulate loaded ${what}: ${found.slice(0, 3).join(', ')}`).to.deep.equal([]);
    }
  });

  it('the trace sees a lazily imported module when an output needs it (csv)', () => {
    const loaded = modulesLoadedBy(['simulate', 'examples/testing/fixture.yaml', '--output', 'csv']);
    expect(loaded.some((m) => m.endsWith('/dist/controllers/cli/report/csv.js'))).to.equal(true);
  });
});
