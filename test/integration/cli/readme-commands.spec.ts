/**
 * README.md's commands, run as written, and the output README shows compared with what they print
 * (task ids are shortened in the README: `(task 41b8…)`). `make run` has its own test
 * (readme.spec.ts); the kind/kubectl session is the bridge's e2e suite.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const README = readFileSync(resolve('README.md'), 'utf8');
const CLI = 'node dist/controllers/cli/main.js';

/**
 * The fenced block that follows the first occurrence of `marker` in the README (when the marker is a
 * command in a ```sh block, the block after that one: its output).
 */
function blockAfter(marker: string): string[] {
  const at = README.indexOf(marker);
  expect(at, `README shows ${marker}`).to.be.greaterThan(-1);
  let from = README.indexOf('\n', at) + 1;
  if (README.startsWith('```\n', from)) from += 4; // the fence closing the command's own block
  const open = README.indexOf('```\n', from);
  const close = README.indexOf('```', open + 4);
  return README.slice(open + 4, close).split('\n').filter((l) => l.trim());
}

async function sh(command: string, cwd = resolve('.')): Promise<string> {
  const { stdout } = await exec('bash', ['-c', command], { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

const shortIds = (text: string) => text.replace(/\(task ([0-9a-f]{4})[0-9a-f]*(-\d+)?\)/g, '(task $1…)');

describe('README: its commands as written', function () {
  this.timeout(120_000);

  it('the worked example prints the timeline README shows', async () => {
    const command = `${CLI} simulate examples/quickstart --until 2m --sample-every 30s`;
    expect(README).to.contain(command);
    const out = shortIds(await sh(command)).split('\n');
    const shown = blockAfter(command);
    expect(shown.length).to.be.greaterThan(10);
    for (const line of shown) expect(out, line).to.include(line);
  });

  it('simulate examples/scheduler/rolling-50-100.yaml prints the rolling update README shows', async () => {
    expect(README).to.contain('`simulate examples/scheduler/rolling-50-100.yaml`');
    const out = shortIds(await sh(`${CLI} simulate examples/scheduler/rolling-50-100.yaml`)).split('\n');
    for (const line of blockAfter('`simulate examples/scheduler/rolling-50-100.yaml`')) expect(out, line).to.include(line);
  });

  for (const args of [
    'compare examples/compare/ec2.yaml examples/compare/fargate.yaml examples/compare/fargate-spot.yaml --until 1h',
    'compare examples/scaling/cluster-autoscaling.yaml --set CapacityProvider/cp-web.autoScalingGroupProvider.managedScaling.targetCapacity=60,100',
    'compare examples/compare/rolling-update.yaml --pairwise --set Service/web-app.deploymentConfiguration.minimumHealthyPercent=50,100 --set Service/web-app.deploymentConfiguration.maximumPercent=100,200 --names 50/100,100/200',
  ]) {
    it(`${args.split(' ').slice(0, 2).join(' ')} … prints the comparison README shows`, async () => {
      const command = `${CLI} ${args}`;
      expect(README).to.contain(command);
      const out = (await sh(command)).split('\n');
      const shown = blockAfter(command);
      expect(shown.length).to.be.greaterThan(10);
      for (const line of shown) expect(out, line).to.include(line);
    });
  }

  it('simulate examples/scaling/cluster-autoscaling.yaml shows the scale-out, PROVISIONING tasks and the new instance', async () => {
    expect(README).to.contain('`simulate examples/scaling/cluster-autoscaling.yaml`');
    const out = await sh(`${CLI} simulate examples/scaling/cluster-autoscaling.yaml`);
    expect(out).to.match(/ASG|AutoScalingGroup|instance/i);
    expect(out).to.match(/desired=\d+/);
  });

  it('the Charts commands write the SVG, the HTML report and the CSV; the chart README shows exists', async () => {
    const at = README.indexOf('```sh\n', README.indexOf('## Charts'));
    const commands = README.slice(at + 6, README.indexOf('```', at + 6)).split('\n').filter((l) => l.startsWith('node dist/'));
    expect(commands).to.have.length(3);
    // Run as written, from a scratch directory that sees the build and the examples (the files they write land there).
    const dir = mkdtempSync(join(tmpdir(), 'ecsplane-readme-charts-'));
    try {
      for (const d of ['dist', 'examples']) symlinkSync(resolve(d), join(dir, d));
      const out = await Promise.all(commands.map((c) => sh(c, dir)));
      expect(readFileSync(join(dir, 'rolling.svg'), 'utf8')).to.match(/^<svg [^]*service prod\/web[^]*<\/svg>\n$/);
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).to.contain('data-chart="gantt"');
      expect(out[2].split('\r\n')[0]).to.match(/^t_seconds,cluster,service,desired,running,pending,healthy/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const image = README.match(/!\[[^\]]*\]\((docs\/images\/[\w-]+\.svg)\)/);
    expect(image, 'README shows a chart').to.not.equal(null);
    expect(readFileSync(resolve(image![1]), 'utf8')).to.match(/^<svg /);
  });

  it('make help lists every target the README names', async () => {
    const out = (await sh('make help')).replace(/\x1b\[[0-9;]*m/g, '');
    for (const target of ['run', 'test', 'build', 'bench', 'manifests', 'test-e2e', 'test-chaos', 'kind-up', 'run-k8s', 'deploy', 'charts']) {
      expect(out, target).to.match(new RegExp(`\\b${target}\\b`));
    }
  });
});
