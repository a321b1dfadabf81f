/**
 * The seeded manifest mutator of the fuzz chaos test: takes the documents of an example file and
 * breaks them the ways users and tools do — dropped, duplicated and retyped fields, huge and negative
 * numbers, 2^31, NaN-ish strings, deep nesting, long strings, prototype keys, unknown kinds, bad names,
 * references and annotations — or breaks the file's text (alias bombs, syntax errors, duplicate keys).
 */
import { stringify } from 'yaml';

export type Rng = () => number;

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const clone = <T>(x: T): T => structuredClone(x);

type Json = any;
interface Slot {
  parent: Record<string, Json> | Json[];
  key: string | number;
}

/** Every member of a document (objects' keys and lists' items), root members included. */
function slots(doc: Json): Slot[] {
  const out: Slot[] = [];
  const visit = (v: Json, depth: number) => {
    if (depth > 12 || v === null || typeof v !== 'object') return;
    const keys: Array<string | number> = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    for (const k of keys) {
      out.push({ parent: v, key: k });
      visit((v as any)[k], depth + 1);
    }
  };
  visit(doc, 0);
  return out;
}

function objects(doc: Json): Array<Record<string, Json>> {
  const out: Array<Record<string, Json>> = [doc];
  for (const s of slots(doc)) {
    const v = (s.parent as any)[s.key];
    if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v);
  }
  return out.filter((o) => o && typeof o === 'object' && !Array.isArray(o));
}

const set = (s: Slot, v: Json) => ((s.parent as any)[s.key] = v);

/** Sets an own enumerable property, even `__proto__` (as JSON.parse and the YAML parser do). */
function defineOwn(o: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

const HUGE_NUMBERS = [2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 32, 2 ** 53 + 2, 1e20, 1e308, -1, 0, 0.5, -0.5, 5001, 10_001, NaN, Infinity, -Infinity];
const NAN_STRINGS = ['NaN', 'Infinity', '-Infinity', '1e999', '0x1F', '-0', '', ' ', '12abc', '٣', 'null', 'true', '~', '%', '\u0000'];
const WEIRD_NAMES: Json[] = ['', 'a'.repeat(256), 'a/b', 'ünïcode', 'x\ny', '__proto__', 'constructor', 'toString', 123, null, ['a'], { a: 1 }, 'web:1', '-', 'a b'];
const KINDS: Json[] = ['Deployment', 'cluster', 'CLUSTER', 'TaskDefinitionRevision', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '', 123, null, ['Service']];
const SIM_KEYS = ['start-delay', 'exit-after', 'exit-code', 'health', 'fail-start', 'stop-delay', 'launch-delay', 'agent', 'ec2-state', 'alarm', 'helth', 'start_delay', ''];
const SIM_VALUES: Json[] = ['bogus', '5s', '-5s', '8d', '99999999999999999999d', '1e400', '256', '0', '-1', '1.5', '', ' ', 'healthy', 'unhealthy', 'x'.repeat(300), 3, true, null, { a: 1 }];
const REFERENCES = ['nope', 'arn:aws:ecs:us-east-1:123456789012:cluster/nope', 'web:99', 'web:0', 'web:abc', 'arn:aws:ecs:::task-definition/web', 'FARGATE', 'arn:', ':', 'a'.repeat(300)];

function randomValue(rng: Rng, depth = 0): Json {
  switch (Math.floor(rng() * (depth > 2 ? 6 : 8))) {
    case 0:
      return pick(rng, HUGE_NUMBERS);
    case 1:
      return pick(rng, NAN_STRINGS);
    case 2:
      return rng() < 0.5;
    case 3:
      return null;
    case 4:
      return Math.floor(rng() * 200) - 50;
    case 5:
      return pick(rng, WEIRD_NAMES);
    case 6:
      return [randomValue(rng, depth + 1), randomValue(rng, depth + 1)];
    default:
      return { [pick(rng, ['a', 'foo', 'name', 'value', 'cluster'])]: randomValue(rng, depth + 1) };
  }
}

function nestedValue(rng: Rng, depth: number): Json {
  let v: Json = pick(rng, [1, 'x', null]);
  for (let i = 0; i < depth; i++) v = rng() < 0.5 ? [v] : { a: v };
  return v;
}

/** One mutation of one document (in place); returns its name for the report. */
type Mutation = (rng: Rng, doc: Json, docs: Json[]) => void;

const MUTATIONS: Record<string, Mutation> = {
  dropField(rng, doc) {
    const s = slots(doc).filter((x) => !Array.isArray(x.parent));
    if (!s.length) return;
    const slot = pick(rng, s);
    delete (slot.parent as any)[slot.key];
  },
  dropTopLevel(_rng, doc) {
    delete doc[pick(_rng, ['apiVersion', 'kind', 'metadata', 'spec'])];
  },
  duplicateItem(rng, doc) {
    const lists = slots(doc).map((x) => (x.parent as any)[x.key]).filter(Array.isArray) as Json[][];
    if (lists.length) {
      const l = pick(rng, lists);
      if (l.length) l.push(clone(pick(rng, l)));
    }
  },
  duplicateDocument(rng, doc, docs) {
    docs.push(clone(doc));
  },
  copyFieldToUnknownKey(rng, doc) {
    const os = objects(doc);
    const o = pick(rng, os);
    const keys = Object.keys(o);
    if (keys.length) o[`${pick(rng, keys)}${pick(rng, ['2', 'X', 'Foo'])}`] = clone(o[pick(rng, keys)]);
  },
  retype(rng, doc) {
    const s = slots(doc);
    if (s.length) set(pick(rng, s), randomValue(rng));
  },
  hugeNumber(rng, doc) {
    const s = slots(doc);
    const numeric = s.filter((x) => typeof (x.parent as any)[x.key] === 'number');
    if (numeric.length || s.length) set(pick(rng, numeric.length ? numeric : s), pick(rng, HUGE_NUMBERS));
  },
  numberAsString(rng, doc) {
    const numeric = slots(doc).filter((x) => typeof (x.parent as any)[x.key] === 'number');
    if (numeric.length) {
      const s = pick(rng, numeric);
      set(s, String((s.parent as any)[s.key]));
    }
  },
  nanString(rng, doc) {
    const s = slots(doc);
    if (s.length) set(pick(rng, s), pick(rng, NAN_STRINGS));
  },
  deepNesting(rng, doc) {
    const s = slots(doc);
    if (s.length) set(pick(rng, s), nestedValue(rng, 20 + Math.floor(rng() * 200)));
  },
  longString(rng, doc) {
    const s = slots(doc);
    const len = pick(rng, [256, 257, 2001, 70_000, 70_000, rng() < 0.1 ? 1_100_000 : 300_000]);
    if (s.length) set(pick(rng, s), pick(rng, ['x', 'é', 'a b ']).repeat(len));
  },
  protoKey(rng, doc) {
    const o = pick(rng, objects(doc));
    const carried = doc?.spec?.containerDefinitions ? { containerDefinitions: clone(doc.spec.containerDefinitions) } : randomValue(rng);
    defineOwn(o, pick(rng, ['__proto__', '__proto__', 'constructor', 'prototype']), carried);
    if (doc?.spec && typeof doc.spec === 'object' && rng() < 0.5) delete doc.spec.containerDefinitions;
  },
  unknownKind(rng, doc) {
    doc.kind = pick(rng, KINDS);
  },
  badName(rng, doc) {
    if (doc.metadata && typeof doc.metadata === 'object') doc.metadata.name = pick(rng, WEIRD_NAMES);
  },
  badMetadata(rng, doc) {
    const md = pick(rng, [null, 'x', [], 5, { name: doc?.metadata?.name, labels: pick(rng, [5, 'abc', { 'a b': 'c' }, { a: 1 }]) }, { name: doc?.metadata?.name, namespace: pick(rng, ['Bad_NS', 5, 'a'.repeat(64)]) }]);
    doc.metadata = md;
  },
  badAnnotation(rng, doc) {
    if (!doc.metadata || typeof doc.metadata !== 'object') return;
    const a = (doc.metadata.annotations && typeof doc.metadata.annotations === 'object' ? doc.metadata.annotations : (doc.metadata.annotations = {})) as Record<string, Json>;
    a[`sim.ecsplane.io/${pick(rng, SIM_KEYS)}`] = pick(rng, SIM_VALUES);
  },
  badReference(rng, doc) {
    const spec = doc?.spec;
    if (!spec || typeof spec !== 'object') return;
    const field = pick(rng, ['cluster', 'taskDefinition', 'capacityProviders', 'capacityProviderStrategy', 'ResourceId', 'autoScalingGroupProvider']);
    if (field === 'capacityProviders') spec.capacityProviders = [pick(rng, REFERENCES)];
    else if (field === 'capacityProviderStrategy') spec.capacityProviderStrategy = [{ capacityProvider: pick(rng, REFERENCES), weight: 1 }];
    else if (field === 'autoScalingGroupProvider') spec.autoScalingGroupProvider = { autoScalingGroupArn: pick(rng, REFERENCES) };
    else spec[field] = pick(rng, REFERENCES);
  },
  badApiVersion(rng, doc) {
    doc.apiVersion = pick(rng, [undefined, 'v1', 'ecsplane.io/v1', 'ECSPLANE.IO/V1ALPHA1', 5, null]);
  },
  swapSpec(rng, doc, docs) {
    const other = pick(rng, docs);
    if (other && typeof other === 'object') [doc.spec, other.spec] = [clone(other.spec), clone(doc.spec)];
  },
};

/** Breaks the file's text instead of its objects. */
const TEXT_MUTATIONS: Record<string, (rng: Rng, text: string) => string> = {
  aliasBomb: (_rng, text) => {
    const names = 'abcdefghij';
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(10).fill(`*${names[i - 1]}`).join(', ')}]`);
    return `${text}---\n${lines.join('\n')}\n`;
  },
  truncate: (rng, text) => text.slice(0, Math.floor(rng() * text.length)),
  duplicateKey: (_rng, text) => text.replace(/^kind: (\w+)$/m, 'kind: $1\nkind: Cluster'),
  garbage: (rng, text) => {
    const at = Math.floor(rng() * text.length);
    return text.slice(0, at) + pick(rng, ['\t', '{', ']', ': :', '\u0000', '&x', '*nope', '!!binary x', '%YAML 9']) + text.slice(at);
  },
  bom: (_rng, text) => `\uFEFF${text}`,
  jsonArray: (_rng, text) => `[${text.length > 0 ? '1, {"kind": 5}' : ''}]`,
};

export interface FuzzedManifest {
  /** What was done, e.g. `hugeNumber+protoKey` or `text:aliasBomb`. */
  mutations: string;
  text: string;
}

/** Serialises documents as a multi-document YAML file (own `__proto__` keys, NaN and ±Infinity survive). */
export function toYaml(docs: Json[]): string {
  return docs.map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

/** One fuzzed manifest file from one seed file's documents. */
export function mutate(rng: Rng, seedDocs: Json[]): FuzzedManifest {
  const docs = clone(seedDocs);
  const names = Object.keys(MUTATIONS);
  const applied: string[] = [];
  const n = 1 + Math.floor(rng() * 3);
  for (let i = 0; i < n && docs.length; i++) {
    const name = pick(rng, names);
    MUTATIONS[name](rng, pick(rng, docs), docs);
    applied.push(name);
  }
  let text = toYaml(docs);
  if (rng() < 0.08) {
    const name = pick(rng, Object.keys(TEXT_MUTATIONS));
    text = TEXT_MUTATIONS[name](rng, text);
    applied.push(`text:${name}`);
  }
  return { mutations: applied.join('+'), text };
}
