/**
 * Variants for `ecsplane compare`: manifests (files, directories, or a `Variant` document that names
 * its base manifests and what to change in them) and `--set KIND/NAME.PATH=V1,V2` overrides that
 * turn one set of manifests into several.
 *
 * A `Variant` document (kind Variant, ecsplane.io/v1alpha1) lives beside ordinary documents:
 *   spec.base:   files or directories, relative to the variant's file, loaded first;
 *   spec.remove: [{kind, name, cluster?}] documents of the base to leave out;
 *   spec.set:    ["KIND/NAME.PATH=VALUE", ...] single-value overrides (the --set syntax);
 * and every other document in the file replaces the base document of the same kind, name (and
 * cluster), or is added. A file without a Variant document is a variant as it stands.
 */
import { basename, dirname, extname, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { parse as parseYaml } from './yaml.js';
import { clusterOf, CLUSTER_SCOPED_KINDS, type Resource } from '../../api/meta.js';
import { clone } from '../../store/objects.js';
import { resolveKind } from './kinds.js';
import { loadManifests, manifestFiles, parseManifests, readManifestFile, ManifestError } from './manifests.js';

export interface Variant {
  name: string;
  docs: Resource[];
}

export type PathSegment = string | number;

export interface SetOverride {
  /** As typed, for messages. */
  text: string;
  kind: string;
  name: string;
  cluster?: string;
  /** From the object root: starts with `spec` or `metadata`. */
  path: PathSegment[];
  values: unknown[];
}

export class VariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VariantError';
  }
}

/** Most values one --set may list, and most variants one compare runs (each is a full simulation). */
export const MAX_VALUES_PER_SET = 20;
export const MAX_VARIANTS = 32;

/**
 * `Service/web.deploymentConfiguration.maximumPercent=150,200`, `Service/prod/web.launchType=[EC2, FARGATE]`,
 * `TaskDefinition/web.containerDefinitions[0].cpu=256`, `TaskDefinition/web.metadata.annotations.x=y`.
 * The path is under `spec` unless it starts with `spec.` or `metadata.`. Values are YAML scalars
 * separated by commas, or a YAML flow list (`[...]`) when a value itself holds a comma.
 */
export function parseSet(text: string): SetOverride {
  const usage = `--set ${text}: expected KIND/NAME.FIELD.PATH=VALUE[,VALUE...] (e.g. Service/web.deploymentConfiguration.maximumPercent=150,200)`;
  const eq = text.indexOf('=');
  if (eq < 0) throw new VariantError(usage);
  const target = text.slice(0, eq).trim();
  const valueText = text.slice(eq + 1).trim();
  const m = /^([A-Za-z]+)\/(?:([A-Za-z0-9_-]+)\/)?([A-Za-z0-9_:-]+)((?:\.[A-Za-z0-9_@/-]+|\[\d+\])+)$/.exec(target);
  if (!m) throw new VariantError(usage);
  let kind: string;
  try {
    kind = resolveKind(m[1]);
  } catch (e) {
    throw new VariantError(`--set ${text}: ${(e as Error).message}`);
  }
  const path: PathSegment[] = [];
  for (const seg of m[4].matchAll(/\.([A-Za-z0-9_@/-]+)|\[(\d+)\]/g)) path.push(seg[1] !== undefined ? seg[1] : Number(seg[2]));
  if (path[0] !== 'spec' && path[0] !== 'metadata') path.unshift('spec');
  if (path[0] === 'metadata' && path[1] === 'name') throw new VariantError(`--set ${text}: metadata.name names the object; it cannot be varied`);
  if (valueText === '') throw new VariantError(`--set ${text}: no value after "="`);
  let values: unknown[];
  try {
    if (valueText.startsWith('[')) {
      const list = parseYaml(valueText);
      if (!Array.isArray(list)) throw new Error('not a list');
      values = list;
    } else values = valueText.split(',').map((v) => parseYaml(v.trim()));
  } catch (e) {
    throw new VariantError(`--set ${text}: the values are not valid YAML: ${(e as Error).message}`);
  }
  if (values.length === 0) throw new VariantError(`--set ${text}: no value after "="`);
  if (values.length > MAX_VALUES_PER_SET) throw new VariantError(`--set ${text}: at most ${MAX_VALUES_PER_SET} values`);
  return { text, kind, name: m[3], cluster: m[2], path, values };
}

const sameObject = (doc: Resource, kind: string, name: string, cluster?: string) =>
  doc?.kind === kind && doc.metadata?.name === name && (cluster === undefined || !CLUSTER_SCOPED_KINDS.has(kind) || clusterOf(doc) === cluster);

/** A copy of `doc` with `value` at the override's path. */
function setAt(doc: Resource, o: SetOverride, value: unknown): Resource {
  const copy = clone(doc) as any;
  let node = copy;
  for (let i = 0; i < o.path.length - 1; i++) {
    const seg = o.path[i];
    const nextIsIndex = typeof o.path[i + 1] === 'number';
    if (node[seg] === undefined || node[seg] === null) node[seg] = nextIsIndex ? [] : {};
    if (typeof node[seg] !== 'object') throw new VariantError(`--set ${o.text}: ${o.path.slice(0, i + 1).join('.')} of ${o.kind} ${o.name} is ${JSON.stringify(node[seg])}, not an object`);
    if (nextIsIndex && !Array.isArray(node[seg])) throw new VariantError(`--set ${o.text}: ${o.path.slice(0, i + 1).join('.')} of ${o.kind} ${o.name} is not a list`);
    node = node[seg];
  }
  const last = o.path.at(-1)!;
  if (typeof last === 'number' && last > node.length) throw new VariantError(`--set ${o.text}: index ${last} is past the end of the list (length ${node.length})`);
  node[last] = clone(value);
  return copy;
}

/**
 * The docs with one value set at the override's path on the named object: the document itself and
 * every copy of it a Scenario step applies (so a later re-apply keeps the variant's value).
 * A copy; the docs are not changed.
 */
export function applySet(docs: Resource[], o: SetOverride, value: unknown, where: string): Resource[] {
  const matches = docs.filter((d) => sameObject(d, o.kind, o.name, o.cluster));
  if (matches.length > 1) throw new VariantError(`--set ${o.text}: ${where} has ${matches.length} ${o.kind} objects named ${o.name}; name its cluster: ${o.kind}/CLUSTER/${o.name}`);
  let inSteps = 0;
  const out = docs.map((d) => {
    if (matches.includes(d)) return setAt(d, o, value);
    if (d?.kind !== 'Scenario' || !Array.isArray(d.spec?.steps)) return d;
    const steps = d.spec.steps.map((step: any) => {
      if (!Array.isArray(step?.apply) || !step.apply.some((a: Resource) => sameObject(a, o.kind, o.name, o.cluster))) return step;
      inSteps++;
      return { ...step, apply: step.apply.map((a: Resource) => (sameObject(a, o.kind, o.name, o.cluster) ? setAt(a, o, value) : a)) };
    });
    return { ...d, spec: { ...d.spec, steps } };
  });
  if (matches.length === 0 && inSteps === 0) {
    const names = docs.filter((d) => d?.kind === o.kind).map((d) => d.metadata?.name);
    throw new VariantError(`--set ${o.text}: ${where} has no ${o.kind} named ${o.name}${names.length ? ` (it has: ${names.join(', ')})` : ''}`);
  }
  return out;
}

const label = (o: SetOverride, value: unknown, all: SetOverride[]) => {
  const short = String(o.path.at(-1));
  const clash = all.filter((x) => String(x.path.at(-1)) === short).length > 1;
  return `${clash ? o.text.slice(0, o.text.indexOf('=')) : short}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
};

/**
 * The variants several --set options make of one variant: every combination of their values (the
 * cross product), or with `pairwise` the first values together, then the second, ... (every --set
 * must then list the same number of values).
 */
export function expandSets(base: Variant, sets: SetOverride[], pairwise: boolean, prefix: boolean): Variant[] {
  if (sets.length === 0) return [base];
  let combos: unknown[][];
  if (pairwise) {
    const n = sets[0].values.length;
    const odd = sets.find((s) => s.values.length !== n);
    if (odd) throw new VariantError(`--pairwise: every --set needs the same number of values (${sets[0].text} has ${n}, ${odd.text} has ${odd.values.length})`);
    combos = Array.from({ length: n }, (_, i) => sets.map((s) => s.values[i]));
  } else {
    combos = sets.reduce<unknown[][]>((acc, s) => acc.flatMap((c) => s.values.map((v) => [...c, v])), [[]]);
  }
  if (combos.length > MAX_VARIANTS) throw new VariantError(`--set makes ${combos.length} variants; at most ${MAX_VARIANTS} are run (use --pairwise or fewer values)`);
  return combos.map((values) => {
    let docs = base.docs;
    values.forEach((v, i) => (docs = applySet(docs, sets[i], v, base.name)));
    const name = values.map((v, i) => label(sets[i], v, sets)).join(' ');
    return { name: prefix ? `${base.name} ${name}` : name, docs };
  });
}

/** The name a variant gets from its path: the Variant document's name, else the file or directory name. */
const pathName = (p: string) => basename(p, extname(p));

/** One variant from a file or directory (expanding a Variant document). */
export function loadVariant(path: string, seen: Set<string> = new Set()): Variant {
  const real = resolve(path);
  if (seen.has(real)) throw new VariantError(`${path}: a Variant's base includes itself`);
  seen.add(real);
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new ManifestError(`${path}: no such file or directory`);
  }
  const docs = isDir ? loadManifests([path]) : manifestFiles([path]).flatMap((f) => parseManifests(readManifestFile(f), f));
  const variantDocs = docs.filter((d) => d.kind === 'Variant');
  if (variantDocs.length === 0) return { name: pathName(path), docs };
  if (variantDocs.length > 1 || isDir) throw new VariantError(`${path}: a Variant document must be alone in its file, one per file (found ${variantDocs.length}${isDir ? ' in a directory' : ''})`);
  const v = variantDocs[0];
  const spec = v.spec ?? {};
  const where = `${path}: Variant ${v.metadata?.name ?? ''}`;
  for (const k of Object.keys(spec)) if (!['base', 'remove', 'set'].includes(k)) throw new VariantError(`${where}: spec.${k}: unknown field (expected base, remove, set)`);
  const list = (f: string) => {
    if (spec[f] !== undefined && !Array.isArray(spec[f])) throw new VariantError(`${where}: spec.${f} must be a list`);
    return (spec[f] ?? []) as any[];
  };
  let base: Resource[] = [];
  for (const b of list('base')) {
    if (typeof b !== 'string') throw new VariantError(`${where}: spec.base entries are paths (strings)`);
    base.push(...loadVariant(resolve(dirname(path), b), new Set(seen)).docs);
  }
  for (const [i, r] of list('remove').entries()) {
    if (!r?.kind || !r?.name) throw new VariantError(`${where}: spec.remove[${i}] needs kind and name`);
    const kind = resolveKind(String(r.kind));
    const before = base.length;
    base = base.filter((d) => !sameObject(d, kind, r.name, r.cluster));
    if (base.length === before) throw new VariantError(`${where}: spec.remove[${i}]: the base has no ${kind} named ${r.name}`);
  }
  for (const d of docs) {
    if (d === v) continue;
    const cluster = CLUSTER_SCOPED_KINDS.has(d.kind) ? clusterOf(d) : undefined;
    const at = base.findIndex((b) => sameObject(b, d.kind, d.metadata?.name, cluster) || (d.kind === 'Scenario' && b.kind === 'Scenario'));
    if (at >= 0) base[at] = d;
    else base.push(d);
  }
  for (const s of list('set')) {
    const o = parseSet(String(s));
    if (o.values.length !== 1) throw new VariantError(`${where}: spec.set ${s}: one value per entry in a Variant (several values are for --set)`);
    base = applySet(base, o, o.values[0], where);
  }
  return { name: v.metadata?.name ?? pathName(path), docs: base };
}

/** What `simulate FILE...` runs: the files' documents, a Variant file expanded. */
export function loadRunDocs(paths: string[]): Resource[] {
  return paths.flatMap((p) => loadVariant(p).docs);
}
