// Root hooks: every test run gets its own TMPDIR (inherited by the processes tests start), and a
// run that leaves anything behind in it fails, naming what was left. The directory is removed.
'use strict';
const { mkdtempSync, readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const os = require('node:os');

let dir;
let outer;
exports.mochaHooks = {
  beforeAll() {
    outer = process.env.TMPDIR;
    dir = mkdtempSync(join(os.tmpdir(), 'ecsplane-test-run-'));
    process.env.TMPDIR = dir;
  },
  afterAll() {
    const left = readdirSync(dir);
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    rmSync(dir, { recursive: true, force: true });
    if (left.length) throw new Error(`tests left ${left.length} temporary entries behind: ${left.slice(0, 10).join(', ')}`);
  },
};
