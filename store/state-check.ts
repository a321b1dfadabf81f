/**
 * What a state file must hold to be loaded: objects the loops can act on. A file that parses but
 * holds an object they would throw on at every reconcile (a service without spec, an unknown kind,
 * two objects under one key, versions above the file's counter, a task whose revision is missing)
 * is refused like a corrupt file, naming the object.
 *
 * Only what the loops rely on is checked: the spec (with the same validator as apply), the store's
 * own metadata (uid, resourceVersion) and the revisions tasks and deployments run. Labels and
 * annotations the loops write themselves (a task's deployment label) are not user input: the
 * validator's metadata rules are not applied to them.
 */
import { keyOf, type Resource } from '../api/meta.js';
import { parseTaskDefinitionRef } from '../api/arn.js';
import { validationErrors } from '../api/validate.js';
import { REVISION_KIND } from './taskdefs.js';
import type { StoreSnapshot } from './store.js';

/** The first problem found, naming the object (`objects[3] service prod/web: ...`), or undefined. */
export function stateProblem(snap: StoreSnapshot): string | undefined {
  const seen = new Set<string>();
  const revisions = new Set<string>();
  for (const [i, o] of snap.objects.entries()) {
    if (!isMapping(o) || typeof o.kind !== 'string' || !isMapping(o.metadata) || typeof o.metadata.name !== 'string') {
      return `objects[${i}] has no kind or metadata.name`;
    }
    const problem = objectProblem(o, snap.resourceVersion);
    const id = `objects[${i}] ${o.kind.toLowerCase()} ${problem === undefined ? keyOf(o) : o.metadata.name}`;
    if (problem !== undefined) return `${id}: ${problem}`;
    const key = `${o.kind}\0${keyOf(o)}`;
    if (seen.has(key)) return `${id}: a second object of that kind and name`;
    seen.add(key);
    if (o.kind === REVISION_KIND) revisions.add(o.metadata.name);
  }
  for (const [i, o] of snap.objects.entries()) {
    for (const ref of revisionRefs(o)) {
      if (!revisions.has(ref)) return `objects[${i}] ${o.kind.toLowerCase()} ${keyOf(o)}: runs task definition ${ref}, which the file does not hold`;
    }
  }
  return undefined;
}

function objectProblem(o: Resource, fileVersion: number): string | undefined {
  const md = o.metadata;
  if (typeof md.uid !== 'string' || md.uid === '') return 'metadata.uid is missing';
  if (typeof md.resourceVersion !== 'string' || !/^[1-9][0-9]{0,15}$/.test(md.resourceVersion)) {
    return `metadata.resourceVersion ${JSON.stringify(md.resourceVersion ?? null)} is not a positive integer`;
  }
  if (Number(md.resourceVersion) > fileVersion) {
    return `metadata.resourceVersion ${md.resourceVersion} is above the file's resourceVersion ${fileVersion}`;
  }
  if (o.status !== undefined && !isMapping(o.status)) return 'status is not a mapping';
  const errors = validationErrors({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: md.name }, spec: o.spec });
  return errors.length ? errors[0].message : undefined;
}

/** `family:N` of the revisions a task runs or a service's deployments use. */
function revisionRefs(o: Resource): string[] {
  const arns: unknown[] = [];
  if (o.kind === 'Task') arns.push(o.status?.taskDefinitionArn);
  if (o.kind === 'Service' && Array.isArray(o.status?.deployments)) for (const d of o.status.deployments) arns.push(d?.taskDefinition);
  const out: string[] = [];
  for (const arn of arns) {
    if (typeof arn !== 'string') continue;
    const { family, revision } = parseTaskDefinitionRef(arn);
    if (revision !== undefined) out.push(`${family}:${revision}`);
  }
  return out;
}

function isMapping(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
