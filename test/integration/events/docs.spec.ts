/**
 * docs/events.md and README's EventBridge section: their commands run as written, and the timeline lines
 * the docs show are in what the commands print.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const DOC = readFileSync(resolve('docs/events.md'), 'utf8');
const README = readFileSync(resolve('README.md'), 'utf8');

/** Each ```-fenced command that runs the CLI, and the fenced block right after it (the output shown). */
function commandsWithOutput(markdown: string): { command: string; shown: string[] }[] {
  const blocks = [...markdown.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]);
  const out: { command: string; shown: string[] }[] = [];
  blocks.forEach((b, i) => {
    const line = b.trim();
    if (line.startsWith('node dist/controllers/cli/main.js ') && !line.includes('\n')) out.push({ command: line, shown: (blocks[i + 1] ?? '').split('\n').filter((l) => l.trim()) });
  });
  return out;
}

describe('docs/events.md: commands as written, timelines as shown', function () {
  this.timeout(60_000);
  const cases = commandsWithOutput(DOC);
  it('shows both examples', () => expect(cases.map((c) => c.command.split(' ')[3])).to.deep.equal(['examples/events/hourly-batch.yaml', 'examples/events/s3-upload.yaml']));
  for (const { command, shown } of cases) {
    it(command, async () => {
      const { stdout } = await exec('bash', ['-c', command], { cwd: resolve('.') });
      const lines = stdout.split('\n');
      expect(shown.length).to.be.greaterThan(5);
      for (const l of shown) expect(lines, l).to.include(l);
    });
  }
  it("README's `simulate examples/events/s3-upload.yaml` is the command the docs run", async () => {
    expect(README).to.contain('`simulate examples/events/s3-upload.yaml`');
    const { stdout } = await exec('bash', ['-c', 'node dist/controllers/cli/main.js simulate examples/events/s3-upload.yaml'], { cwd: resolve('.') });
    expect(stdout).to.contain('event  Rule s3-upload: target process: RESOURCE:MEMORY');
    expect(stdout).to.contain('rule s3-upload  invocations=3 tasks=2 failures=1');
  });
  it('the docs cite the AWS pages the behaviour follows', () => {
    for (const page of ['eb-create-pattern-operators.html', 'eb-scheduled-rule-pattern.html', 'schedule-types.html', 'ecs_cwe_events.html', 'API_EcsParameters.html', 'eb-transform-target-input.html']) {
      expect(DOC, page).to.contain(page);
    }
  });
});
