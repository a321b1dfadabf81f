/**
 * TagResource, UntagResource, ListTagsForResource by ARN. Tags live in each kind's spec `tags` (the
 * create request's member). A task definition's tags belong to its revisions, which are immutable in
 * ecsplane: they are listed, and changing them is refused (docs/aws-api.md).
 */
import { makeKey, type Resource } from '../../../api/meta.js';
import { getRevision } from '../../../store/taskdefs.js';
import type { App } from '../../register.js';
import { AwsError } from '../errors.js';
import type { JsonOperation } from '../router.js';
import { reapply } from './apply.js';

type Tag = { key: string; value?: string };

const KIND_OF_TYPE: Record<string, string> = {
  cluster: 'Cluster',
  service: 'Service',
  task: 'Task',
  'container-instance': 'ContainerInstance',
  'capacity-provider': 'CapacityProvider',
};

function notFound(): AwsError {
  return new AwsError('ResourceNotFoundException', 'The specified resource could not be found.');
}

/** `arn:aws:ecs:region:account:TYPE/...` → the object its tags live in. */
function resolveArn(app: App, resourceArn: unknown): { obj: Resource; revision: boolean } {
  const m = typeof resourceArn === 'string' ? /^arn:aws[a-z-]*:ecs:[^:]*:[^:]*:([a-z-]+)\/(.+)$/.exec(resourceArn) : null;
  if (!m) throw new AwsError('InvalidParameterException', 'The ARN provided is invalid.');
  const [, type, rest] = m;
  if (type === 'task-definition') {
    const rev = getRevision(app.store, rest);
    if (!rev) throw notFound();
    return { obj: rev, revision: true };
  }
  const kind = KIND_OF_TYPE[type];
  if (!kind) throw new AwsError('InvalidParameterException', `Tagging ${type} resources is not supported by ecsplane.`);
  const parts = rest.split('/');
  const key = kind === 'Cluster' || kind === 'CapacityProvider' ? parts[0] : parts.length >= 2 ? makeKey(parts[0], parts[1]) : undefined;
  const obj = key ? app.store.get(kind, key) : undefined;
  if (!obj) throw notFound();
  return { obj, revision: false };
}

async function retag(app: App, resourceArn: unknown, change: (tags: Tag[]) => Tag[]): Promise<unknown> {
  const { obj, revision } = resolveArn(app, resourceArn);
  if (revision) throw new AwsError('InvalidParameterException', 'ecsplane keeps task definition revisions immutable: set tags in RegisterTaskDefinition.');
  await reapply(app, obj, { ...obj.spec, tags: change((obj.spec.tags ?? []) as Tag[]) });
  return {};
}

export const tagOperations: Record<string, JsonOperation> = {
  TagResource: ({ app }, input) =>
    retag(app, input.resourceArn, (tags) => {
      const byKey = new Map(tags.map((t) => [t.key, t]));
      for (const t of input.tags as Tag[]) byKey.set(t.key, t);
      return [...byKey.values()];
    }),

  UntagResource: ({ app }, input) => retag(app, input.resourceArn, (tags) => tags.filter((t) => !(input.tagKeys as string[]).includes(t.key))),

  ListTagsForResource({ app }, input) {
    return { tags: resolveArn(app, input.resourceArn).obj.spec.tags ?? [] };
  },
};
