/**
 * kubectl reads YAML 1.1, where an unquoted OFF/ON/yes/no is a boolean: the committed CRDs must read the
 * same under YAML 1.1 as under 1.2 (the Scheduler's FlexibleTimeWindow enum `OFF` was served as `false`).
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

describe('api/crd: YAML 1.1 (kubectl) reads what YAML 1.2 reads', () => {
  for (const file of readdirSync('api/crd').filter((f) => f.endsWith('.yaml'))) {
    it(file, () => {
      const text = readFileSync(join('api/crd', file), 'utf8');
      expect(parse(text, { version: '1.1' })).to.deep.equal(parse(text));
    });
  }
});
