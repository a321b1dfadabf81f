/**
 * `make verify-validators` (`node dist/hack/gen-validators.js --check`, hack/validators.mk) as written: up to
 * date in the repository; in a tree whose api/schema/validators/ holds a stale and an extra file it fails
 * naming both, and `make validators`' generator (without --check) repairs it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';

const ROOT = resolve('.');
const GENERATOR = join(ROOT, 'dist/hack/gen-validators.js');

function generate(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [GENERATOR, ...args], { cwd, encoding: 'utf8' });
}

describe('hack/gen-validators (make validators / verify-validators)', function () {
  this.timeout(60_000);

  it('--check: the committed validators are up to date', () => {
    expect(readFileSync(join(ROOT, 'hack/validators.mk'), 'utf8')).to.contain('node dist/hack/gen-validators.js --check');
    const p = generate(ROOT, '--check');
    expect(p.status, p.stderr).to.equal(0);
    expect(p.stdout).to.match(/files in api\/schema\/validators are up to date/);
  });

  it('--check names stale and extra files and exits 1; without it the files are rewritten', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsplane-validators-'));
    try {
      const out = join(dir, 'api/schema/validators');
      cpSync(join(ROOT, 'api/schema/validators'), out, { recursive: true });
      writeFileSync(join(out, 'cluster.cts'), '// hand-edited\n');
      writeFileSync(join(out, 'old-kind.cts'), '// a kind that is gone\n');
      const check = generate(dir, '--check');
      expect(check.status).to.equal(1);
      expect(check.stderr).to.contain('cluster.cts').and.to.contain('old-kind.cts (stale)').and.to.contain('make validators');
      const fix = generate(dir);
      expect(fix.status, fix.stderr).to.equal(0);
      expect(fix.stdout).to.contain('(1 written, 1 removed)');
      expect(readFileSync(join(out, 'cluster.cts'), 'utf8')).to.equal(readFileSync(join(ROOT, 'api/schema/validators/cluster.cts'), 'utf8'));
      expect(generate(dir, '--check').status).to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
