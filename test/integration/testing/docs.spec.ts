/** docs/testing.md shows the example files exactly as they are (the example itself runs in example.spec.ts). */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';

describe('docs/testing.md', () => {
  const doc = readFileSync('docs/testing.md', 'utf8');
  for (const file of ['examples/testing/deploy.mjs', 'examples/testing/deploy.spec.mjs']) {
    it(`shows ${file} verbatim`, () => {
      expect(doc).to.include('```js\n' + readFileSync(file, 'utf8') + '```\n');
    });
  }
  it('documents every endpoint and option the code serves', () => {
    for (const s of ['GET /_ecsplane/clock', 'POST /_ecsplane/clock', 'POST /_ecsplane/reset', '--time-scale', '--clock manual', 'advanceOnPoll', 'startTime', 'advanceTo(time)']) expect(doc, s).to.include(s);
  });
});
