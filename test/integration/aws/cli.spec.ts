import { expect } from 'chai';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from '@aws-sdk/client-ecs';

const CLI = 'dist/controllers/cli/main.js';

/** Wait (bounded) for the child to print the API address. */
function waitForApi(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no "AWS API listening" line: ${err}`)), 15_000);
    child.stderr!.on('data', (d) => {
      err += d.toString();
      const m = /AWS API listening on (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
}

describe('AWS API: ecsplane run serves it, ecsplane get shows what it created', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ecsplane-aws-'))));
  afterEach(async () => {
    // Wait for it to exit: on SIGTERM it writes its state file, which must not land in a directory being removed.
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('a cluster and service created with the SDK appear in `ecsplane get`', async () => {
    const state = join(dir, 'state.json');
    child = spawn(process.execPath, [CLI, 'run', '--state', state, '--api-addr', '127.0.0.1:0', '--no-watch'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const endpoint = await waitForApi(child);
    const ecs = new E.ECSClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await ecs.send(new E.CreateClusterCommand({ clusterName: 'prod' }));
    await ecs.send(new E.RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }));
    await ecs.send(new E.CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web', desiredCount: 0 }));
    ecs.destroy();
    const out = execFileSync(process.execPath, [CLI, 'get', 'service', '--cluster', 'prod', '--state', state, '-o', 'json'], { encoding: 'utf8' });
    expect(JSON.parse(out).items.map((s: any) => [s.metadata.name, s.spec.taskDefinition])).to.deep.equal([['web', 'web']]);
  });

  it('refuses a non-loopback --api-addr without --api-allow-remote', () => {
    let err = '';
    try {
      execFileSync(process.execPath, [CLI, 'run', '--api-addr', '0.0.0.0:0', '--for', '1s'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      err = (e as { stderr: string }).stderr;
    }
    expect(err).to.include('--api-allow-remote');
  });
});
