/**
 * The control socket is the state's front door: 0600 whatever the umask, and a symbolic link, a
 * non-socket or another user's file at its path is refused (by the server and by clients).
 */
import { expect } from 'chai';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callControl, serveControl } from '../../../controllers/cli/control.js';
import { UnsafePathError } from '../../../store/errors.js';
import { testApp } from '../../helpers/fixtures.js';

const closed = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('store: the control socket', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecsplane-sock-'));
    path = join(dir, 'state.json.sock');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is created 0600 even under umask 000, and answers its owner', async () => {
    const umask = process.umask(0);
    let server: Server;
    try {
      server = serveControl(testApp(), path);
    } finally {
      process.umask(umask);
    }
    try {
      expect(statSync(path).mode & 0o777).to.equal(0o600);
      expect(process.umask()).to.equal(umask, 'the umask is restored');
      expect(await callControl(path, { op: 'get', kind: 'Cluster' })).to.deep.equal([]);
    } finally {
      await closed(server);
    }
  });

  it('replaces its own stale socket', async () => {
    // A server killed with -9 leaves its socket file behind.
    spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    expect(statSync(path).isSocket()).to.equal(true);
    const server = serveControl(testApp(), path);
    try {
      expect(await callControl(path, { op: 'get', kind: 'Cluster' })).to.deep.equal([]);
    } finally {
      await closed(server);
    }
  });

  it('refuses a symbolic link at its path, and does not follow it', () => {
    const target = join(dir, 'target');
    writeFileSync(target, 'precious');
    symlinkSync(target, path);
    expect(() => serveControl(testApp(), path)).to.throw(UnsafePathError, /control socket .* is a symbolic link; refusing to use it/);
    expect(readFileSync(target, 'utf8')).to.equal('precious');
  });

  it('refuses a regular file at its path instead of deleting it', () => {
    writeFileSync(path, 'not a socket');
    expect(() => serveControl(testApp(), path)).to.throw(UnsafePathError, /is not a socket/);
    expect(existsSync(path)).to.equal(true);
  });

  it("a client refuses a symbolic link to a socket, and another user's socket", async function () {
    const real = join(dir, 'real.sock');
    const server = serveControl(testApp(), real);
    try {
      symlinkSync(real, path);
      expect(() => callControl(path, { op: 'get', kind: 'Cluster' })).to.throw(UnsafePathError, /is a symbolic link/);
      if (process.getuid?.() !== 0) return; // only root can give a file away
      chownSync(real, 54321, 54321);
      expect(() => callControl(real, { op: 'get', kind: 'Cluster' })).to.throw(UnsafePathError, /owned by uid 54321/);
    } finally {
      await closed(server);
    }
  });

  it('a path too long for a Unix socket is a clear error', () => {
    expect(() => serveControl(testApp(), join(dir, 'x'.repeat(120)))).to.throw(/too long for a Unix socket/);
  });
});
