/**
 * Task definition revisions, as ECS keeps them: every registration of a changed spec gets the
 * next revision number of its family (never reused, even after deregistration); revisions are
 * immutable `TaskDefinitionRevision` objects named `family:N`; a bare family means the latest
 * ACTIVE revision (ecs-semantics §1 TaskDefinition).
 */
import { createHash } from 'node:crypto';
import { API_VERSION, type Resource } from '../api/meta.js';
import { EcsError, ErrorType } from '../api/errors.js';
import { arn, parseTaskDefinitionRef } from '../api/arn.js';
import { withDefaults } from '../api/validate.js';
import { simAnnotations } from '../api/sim.js';
import type { TaskDefinitionRevisionStatus } from '../api/v1alpha1/status.js';
import type { TaskDefinitionSpec } from '../api/v1alpha1/types.js';
import type { ResourceStore } from './store.js';

export const REVISION_KIND = 'TaskDefinitionRevision';
export const FAMILY_LABEL = 'ecsplane.io/family';

export type RevisionObject = Resource<TaskDefinitionSpec, TaskDefinitionRevisionStatus>;

/** Index of revisions by family (the FAMILY_LABEL), registered on first use. */
const BY_FAMILY = 'revision-by-family';

/** The family's revisions, by revision number (`sorted` false: in no particular order). */
export function revisionsOf(store: ResourceStore, family: string, sorted = true): RevisionObject[] {
  store.addIndex(REVISION_KIND, BY_FAMILY, (o) => {
    const f = o.metadata.labels?.[FAMILY_LABEL];
    return f !== undefined ? [f] : [];
  });
  const revisions = store.byIndex(REVISION_KIND, BY_FAMILY, family) as RevisionObject[];
  return sorted ? revisions.sort((a, b) => a.status!.revision - b.status!.revision) : revisions;
}

export function specHash(spec: unknown): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
}

/** A revision's identity: its spec plus the simulation knobs (they change how its tasks behave). */
export function revisionHash(td: Resource): string {
  return specHash({ spec: td.spec, sim: simAnnotations(td.metadata.annotations) });
}

/** Register the next revision of `td`'s family with its (defaulted) spec. */
export function registerRevision(store: ResourceStore, td: Resource, now: number): RevisionObject {
  const family = td.metadata.name;
  const existing = revisionsOf(store, family);
  const revision = (existing.at(-1)?.status?.revision ?? 0) + 1;
  const spec = withDefaults('TaskDefinition', td.spec, { name: family }) as TaskDefinitionSpec;
  const created = store.create({
    apiVersion: API_VERSION,
    kind: REVISION_KIND,
    metadata: {
      name: `${family}:${revision}`,
      labels: { [FAMILY_LABEL]: family },
      annotations: simAnnotations(td.metadata.annotations),
    },
    spec,
    status: {
      taskDefinitionArn: arn.taskDefinition(family, revision),
      family,
      revision,
      status: 'ACTIVE',
      registeredAt: new Date(now).toISOString(),
      specHash: revisionHash(td),
    },
  }) as RevisionObject;
  return created;
}

/** Mark every ACTIVE revision of a family INACTIVE (DeregisterTaskDefinition on each). */
export function deregisterFamily(store: ResourceStore, family: string, now: number): void {
  for (const rev of revisionsOf(store, family)) {
    if (rev.status?.status !== 'ACTIVE') continue;
    store.updateStatus({ ...rev, status: { ...rev.status, status: 'INACTIVE', deregisteredAt: new Date(now).toISOString() } });
  }
}

/**
 * Resolve `family`, `family:N` or an ARN to a revision. `requireActive` applies to explicit
 * revisions too (CreateService/RunTask refuse INACTIVE ones; running services keep theirs).
 */
export function resolveTaskDefinition(
  store: ResourceStore,
  ref: string,
  field = 'spec.taskDefinition',
  requireActive = true,
): RevisionObject {
  const { family, revision } = parseTaskDefinitionRef(ref);
  if (revision !== undefined) {
    if (!Number.isInteger(revision) || revision < 1) {
      throw new EcsError(ErrorType.Client, `Invalid revision number. Number: ${ref.slice(ref.lastIndexOf(':') + 1)}`, field);
    }
    const rev = store.get(REVISION_KIND, `${family}:${revision}`) as RevisionObject | undefined;
    if (!rev) throw new EcsError(ErrorType.Client, 'Unable to describe task definition.', field);
    if (requireActive && rev.status?.status !== 'ACTIVE') throw new EcsError(ErrorType.Client, 'TaskDefinition is inactive', field);
    return rev;
  }
  const latest = latestActiveRevision(store, family);
  if (!latest) throw new EcsError(ErrorType.Client, 'Unable to describe task definition.', field);
  return latest;
}

/** The family's ACTIVE revision with the highest number (every RunTask of a bare family asks: one scan, no sort). */
function latestActiveRevision(store: ResourceStore, family: string): RevisionObject | undefined {
  let latest: RevisionObject | undefined;
  for (const r of revisionsOf(store, family, false)) {
    if (r.status?.status === 'ACTIVE' && (!latest || r.status.revision > latest.status!.revision)) latest = r;
  }
  return latest;
}

/** Revision object by its `family:N` name (any status). */
export function getRevision(store: ResourceStore, familyRevision: string): RevisionObject | undefined {
  return store.get(REVISION_KIND, familyRevision) as RevisionObject | undefined;
}
