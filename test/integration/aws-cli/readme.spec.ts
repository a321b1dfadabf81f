/**
 * Every `aws --endpoint-url …` command shown in README.md ("The AWS API") and docs/aws-api.md runs
 * with the real AWS CLI against `ecsplane run -f examples/quickstart` (what `make run` serves).
 * The text is taken from the documents; the one change is the endpoint: the documents use the
 * default 127.0.0.1:4566, which tests running in parallel cannot all bind, so the test serves on a
 * free port and rewrites the address in each command.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { awsEnv, requireAwsCli, runBash, runSupports, startRun, tempHome, type RunningEcsplane } from './aws-cli.js';

const DOCUMENTED_ENDPOINT = 'http://127.0.0.1:4566';

/** The ```sh blocks of `markdown` that run `aws --endpoint-url`, as written. */
export function awsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => /^aws --endpoint-url /m.test(b));
}

/** README's "The AWS API" section (up to the next `## ` heading). */
function readmeAwsSection(): string {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('## The AWS API');
  const end = readme.indexOf('\n## ', start + 3);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('AWS CLI: the documented aws --endpoint-url commands run as written', function () {
  let run: RunningEcsplane | undefined;
  let home: ReturnType<typeof tempHome> | undefined;
  afterEach(async () => {
    await run?.stop();
    run = undefined;
    home?.cleanup();
    home = undefined;
  });

  for (const [doc, text] of [
    ['README.md', () => readmeAwsSection()],
    ['docs/aws-api.md', () => readFileSync('docs/aws-api.md', 'utf8')],
  ] as const) {
    it(`${doc}: every block runs against the quickstart and exits 0`, async function () {
      const blocks = awsBlocks(text());
      if (doc === 'README.md') expect(blocks, 'README shows an aws --endpoint-url session').to.not.be.empty;
      if (!blocks.length) return this.skip();
      requireAwsCli(this);
      const fast = runSupports('--time-scale');
      this.timeout(fast ? 120_000 : 300_000);
      run = await startRun(['-f', 'examples/quickstart', ...(fast ? ['--time-scale', '60'] : [])]);
      home = tempHome();
      const env = awsEnv(run.endpoint, home.dir);
      // The documents set credentials themselves; start without them so their lines are what count.
      for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL']) delete env[k];
      for (const block of blocks) {
        const script = `set -euo pipefail\n${block.split(DOCUMENTED_ENDPOINT).join(run.endpoint)}`;
        const { code, out } = await runBash(['-c', script], env, fast ? 100_000 : 280_000);
        expect(code, `${doc} block failed:\n${block}\n--- output:\n${out}`).to.equal(0);
      }
    });
  }
});
