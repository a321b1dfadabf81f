/**
 * Writes the precompiled spec validators (ajv standalone code, api/schema/precompile.ts) to
 * api/schema/validators/. `make validators` runs it after `tsc`; commit the result.
 *
 *   node dist/hack/gen-validators.js [--check]
 *
 * --check writes nothing and exits 1 when the committed files differ from the generated ones.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateValidators, VALIDATORS_DIR } from '../api/schema/precompile.js';

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const files = generateValidators();
  const out = VALIDATORS_DIR;
  const existing = existsSync(out) ? readdirSync(out).filter((f) => /\.(cts|ts)$/.test(f)) : [];
  const stale = existing.filter((f) => !files.has(f));
  const changed = [...files].filter(([f, text]) => !existsSync(join(out, f)) || readFileSync(join(out, f), 'utf8') !== text).map(([f]) => f);
  if (check) {
    if (changed.length || stale.length) {
      process.stderr.write(`gen-validators: ${out} is out of date (${[...changed, ...stale.map((s) => `${s} (stale)`)].join(', ')}); run \`make validators\`\n`);
      return 1;
    }
    process.stdout.write(`gen-validators: ${files.size} files in ${out} are up to date\n`);
    return 0;
  }
  mkdirSync(out, { recursive: true });
  for (const f of changed) writeFileSync(join(out, f), files.get(f)!);
  for (const f of stale) unlinkSync(join(out, f));
  process.stdout.write(`gen-validators: ${files.size} files in ${out} (${changed.length} written, ${stale.length} removed)\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
