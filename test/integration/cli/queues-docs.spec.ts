/**
 * docs/queues.md and README's "Queues and CloudWatch alarms": each `simulate` command as written, and the
 * timeline lines docs/queues.md shows, compared with what the command prints.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const DOC = readFileSync(resolve('docs/queues.md'), 'utf8');
const README = readFileSync(resolve('README.md'), 'utf8');
const COMMANDS = ['node dist/controllers/cli/main.js simulate examples/queues/backlog-scaling.yaml', 'node dist/controllers/cli/main.js simulate examples/queues/step-alarm.yaml'];

/** The lines of the fenced block after the block that holds `command`. */
function outputAfter(text: string, command: string): string[] {
  const at = text.indexOf(`\`\`\`\n${command}\n\`\`\``);
  expect(at, `shows ${command}`).to.be.greaterThan(-1);
  const open = text.indexOf('```\n', at + command.length + 8);
  const close = text.indexOf('\n```', open + 4);
  return text.slice(open + 4, close).split('\n').filter((l) => l.trim());
}

describe('docs/queues.md: its commands as written', function () {
  this.timeout(120_000);
  for (const command of COMMANDS) {
    it(`${command.split(' ').pop()}: prints the timeline lines the doc shows`, async () => {
      expect(README, 'README runs it too').to.contain(command);
      const { stdout } = await exec('bash', ['-c', command], { cwd: resolve('.'), maxBuffer: 64 * 1024 * 1024 });
      const out = stdout.split('\n');
      const shown = outputAfter(DOC, command);
      expect(shown.length).to.be.greaterThan(5);
      for (const line of shown) expect(out, line).to.include(line);
    });
  }
});
