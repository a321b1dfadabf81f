/** Manifest files (controllers/cli/manifests.ts): every problem is a ManifestError naming the file and document; sizes are bounded. */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_MANIFEST_BYTES, ManifestError, loadManifests, parseManifests } from '../../../controllers/cli/manifests.js';

function manifestError(fn: () => unknown): ManifestError {
  try {
    fn();
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(ManifestError);
    return e as ManifestError;
  }
  throw new Error('expected a ManifestError');
}

/** A YAML "billion laughs": 10 levels of 10 aliases each. */
function aliasBomb(): string {
  const names = 'abcdefghij';
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(10).fill(`*${names[i - 1]}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

const CLUSTER = 'apiVersion: ecsplane.io/v1alpha1\nkind: Cluster\nmetadata: {name: prod}\nspec: {}\n';

describe('manifests: parse errors name the file and document', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['an alias bomb', `${CLUSTER}---\n${aliasBomb()}`, /^f\.yaml: document 2: Excessive alias count/],
    ['a YAML syntax error', `${CLUSTER}---\nkind: [unclosed\n`, /^f\.yaml: document 2: /],
    ['a duplicate key', 'kind: Cluster\nkind: Service\n', /^f\.yaml: document 1: Map keys must be unique/],
    ['a scalar document', 'just text\n', /^f\.yaml: document 1: expected a resource/],
    ['a list of scalars', '[1, 2]\n', /^f\.yaml: document 1: expected a resource/],
    ['lists nested too deep', '[[[[[[{kind: Cluster}]]]]]]\n', /^f\.yaml: document 1: lists of resources nested more than 4 deep/],
    ['nesting too deep to convert', '['.repeat(5000) + ']'.repeat(5000), /^f\.yaml: document 1: /],
  ];
  for (const [what, text, message] of cases) {
    it(`${what}`, () => {
      const e = manifestError(() => parseManifests(text, 'f.yaml'));
      expect(e.message).to.match(message);
      expect(e.message.length).to.be.lessThan(400);
    });
  }

  it('a few aliases are fine', () => {
    const docs = parseManifests('apiVersion: ecsplane.io/v1alpha1\nkind: Cluster\nmetadata: {name: &n prod, labels: {app: *n}}\nspec: {}\n', 'f.yaml');
    expect(docs[0].metadata.labels).to.deep.equal({ app: 'prod' });
  });

  it('JSON, arrays and Lists are flattened', () => {
    const json = JSON.stringify({ kind: 'List', items: [{ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Cluster', metadata: { name: 'a' }, spec: {} }] });
    expect(parseManifests(json, 'f.json').map((d) => d.metadata.name)).to.deep.equal(['a']);
  });
});

describe('manifests: files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ecsplane-manifests-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it(`refuses a file over ${MAX_MANIFEST_BYTES} bytes before parsing it`, () => {
    const f = join(dir, 'big.yaml');
    writeFileSync(f, `${CLUSTER}# ${'x'.repeat(MAX_MANIFEST_BYTES)}\n`);
    expect(manifestError(() => loadManifests([f])).message).to.equal(`${f}: manifests are limited to ${MAX_MANIFEST_BYTES} bytes (8 MiB); this file is ${MAX_MANIFEST_BYTES + CLUSTER.length + 3} bytes`);
  });

  it('names a missing file', () => {
    expect(manifestError(() => loadManifests([join(dir, 'nope.yaml')])).message).to.match(/nope\.yaml: no such file or directory$/);
  });

  it('follows a directory symlink loop once', () => {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'c.yaml'), CLUSTER);
    symlinkSync(dir, join(dir, 'sub', 'loop'));
    symlinkSync(join(dir, 'missing'), join(dir, 'dangling.yaml'));
    expect(loadManifests([dir]).map((d) => d.metadata.name)).to.deep.equal(['prod']);
  });
});
