/**
 * RegisterTaskDefinition, DescribeTaskDefinition, ListTaskDefinitions, ListTaskDefinitionFamilies,
 * DeregisterTaskDefinition, DeleteTaskDefinitions. A family is a TaskDefinition object whose spec is
 * the last RegisterTaskDefinition input; its revisions are the store's TaskDefinitionRevision objects
 * (store/taskdefs.ts). Every call registers a new revision, as ECS does, even with the same input.
 */
import type { App } from '../../register.js';
import { getRevision, REVISION_KIND, resolveTaskDefinition, revisionsOf, type RevisionObject } from '../../../store/taskdefs.js';
import { parseTaskDefinitionRef } from '../../../api/arn.js';
import { AwsError } from '../errors.js';
import type { JsonOperation } from '../router.js';
import { applyOne } from './apply.js';
import { includesTags, paginate, resource, without } from './common.js';

export function revisionView(rev: RevisionObject): Record<string, unknown> {
  const s = rev.status!;
  const spec = rev.spec as Record<string, any>;
  const fargate = spec.networkMode === 'awsvpc' && spec.cpu !== undefined && spec.memory !== undefined;
  return {
    ...spec,
    taskDefinitionArn: s.taskDefinitionArn,
    family: s.family,
    revision: s.revision,
    status: s.status,
    registeredAt: s.registeredAt,
    deregisteredAt: s.deregisteredAt,
    compatibilities: fargate ? ['EC2', 'FARGATE'] : ['EC2'],
    requiresCompatibilities: spec.requiresCompatibilities,
    tags: undefined,
  };
}

function revisionOf(app: App, ref: unknown, requireRevision = false): RevisionObject {
  if (typeof ref !== 'string' || !ref) throw new AwsError('ClientException', 'Unable to describe task definition.');
  if (requireRevision && parseTaskDefinitionRef(ref).revision === undefined) {
    throw new AwsError('ClientException', `Invalid revision number. Number: ${ref}`);
  }
  return resolveTaskDefinition(app.store, ref, 'taskDefinition', false);
}

export const taskDefinitionOperations: Record<string, JsonOperation> = {
  async RegisterTaskDefinition({ app }, input) {
    await applyOne(app, resource('TaskDefinition', input.family, without(input)), { alwaysRegisterRevision: true });
    const rev = revisionsOf(app.store, input.family).at(-1)!;
    return { taskDefinition: revisionView(rev), tags: rev.spec.tags ?? [] };
  },

  DescribeTaskDefinition({ app }, input) {
    const rev = revisionOf(app, input.taskDefinition);
    return { taskDefinition: revisionView(rev), ...(includesTags(input.include) ? { tags: rev.spec.tags ?? [] } : {}) };
  },

  ListTaskDefinitions({ app }, input) {
    const status = input.status ?? 'ACTIVE';
    const sign = input.sort === 'DESC' ? -1 : 1;
    const revs = (app.store.list(REVISION_KIND) as RevisionObject[])
      .filter((r) => r.status!.status === status && (!input.familyPrefix || r.status!.family.startsWith(input.familyPrefix)))
      .sort((a, b) => sign * (a.status!.family.localeCompare(b.status!.family) || a.status!.revision - b.status!.revision));
    const page = paginate(revs, input, 'ListTaskDefinitions');
    return { taskDefinitionArns: page.items.map((r) => r.status!.taskDefinitionArn), nextToken: page.nextToken };
  },

  ListTaskDefinitionFamilies({ app }, input) {
    const status = input.status ?? 'ACTIVE';
    const families = app.store
      .list('TaskDefinition')
      .map((td) => td.metadata.name)
      .filter((f) => !input.familyPrefix || f.startsWith(input.familyPrefix))
      .filter((f) => {
        const active = revisionsOf(app.store, f).some((r) => r.status?.status === 'ACTIVE');
        return status === 'ALL' || (status === 'ACTIVE') === active;
      })
      .sort();
    const page = paginate(families, input, 'ListTaskDefinitionFamilies');
    return { families: page.items, nextToken: page.nextToken };
  },

  async DeregisterTaskDefinition({ app }, input) {
    const rev = revisionOf(app, input.taskDefinition, true);
    let out = rev;
    if (rev.status!.status === 'ACTIVE') {
      out = app.store.updateStatus({ ...rev, status: { ...rev.status!, status: 'INACTIVE', deregisteredAt: new Date(app.clock.now()).toISOString() } }) as RevisionObject;
      await app.api.persist();
    }
    return { taskDefinition: revisionView(out) };
  },

  async DeleteTaskDefinitions({ app }, input) {
    const taskDefinitions: unknown[] = [];
    const failures: unknown[] = [];
    for (const ref of input.taskDefinitions as string[]) {
      const { family, revision } = parseTaskDefinitionRef(ref);
      const rev = revision === undefined ? undefined : getRevision(app.store, `${family}:${revision}`);
      if (!rev) {
        failures.push({ arn: ref, reason: 'TASK_DEFINITION_NOT_FOUND', detail: 'The specified task definition does not exist.' });
      } else if (rev.status!.status === 'ACTIVE') {
        failures.push({ arn: rev.status!.taskDefinitionArn, reason: 'TASK_DEFINITION_IN_ACTIVE_STATE', detail: 'The specified task definition is still in ACTIVE status. Deregister it first.' });
      } else {
        // Revisions are kept (tasks that ran them still name them): marked DELETE_IN_PROGRESS, as ECS shows them.
        const out = rev.status!.status === 'DELETE_IN_PROGRESS' ? rev : (app.store.updateStatus({ ...rev, status: { ...rev.status!, status: 'DELETE_IN_PROGRESS' } }) as RevisionObject);
        taskDefinitions.push(revisionView(out));
      }
    }
    await app.api.persist();
    return { taskDefinitions, failures };
  },
};
