/** PutScheduledAction, DescribeScheduledActions, DeleteScheduledAction → the ScheduledAction kind. */
import type { Resource } from '../../../api/meta.js';
import type { JsonOperation } from '../router.js';
import { AwsError } from '../errors.js';
import { applyOne, reapply } from '../ecs/apply.js';
import { resource, without } from '../ecs/common.js';
import type { App } from '../../register.js';
import { NOT_FOUND, VALIDATION, aasArn, byCreation, findTarget, matches, paginate, sameTarget, type TargetRef } from './common.js';
import { refOf } from './targets.js';

/** JSON 1.1 sends timestamps as epoch seconds; the kind (like a manifest) holds ISO-8601. */
function isoTimes(spec: Record<string, unknown>): Record<string, unknown> {
  const out = { ...spec };
  for (const k of ['StartTime', 'EndTime']) if (typeof out[k] === 'number') out[k] = new Date((out[k] as number) * 1000).toISOString();
  return out;
}

function actionView(app: App, a: Resource): Record<string, unknown> {
  const t = findTarget(app, refOf(a.spec as TargetRef));
  return {
    ...a.spec,
    ScheduledActionName: a.metadata.name,
    Timezone: a.spec.Timezone ?? 'UTC',
    ScheduledActionARN: a.status?.ScheduledActionARN ?? aasArn('scheduledAction', `${t?.metadata.uid}/${a.metadata.name}`, a.spec.ResourceId, 'scheduledActionName', a.metadata.name),
    CreationTime: a.metadata.creationTimestamp,
  };
}

export const scheduledActionOperations: Record<string, JsonOperation> = {
  /** Updating keeps the members not given (AAS's rule); names are unique in ecsplane, as policy names are. */
  async PutScheduledAction({ app }, input) {
    const current = app.store.get('ScheduledAction', input.ScheduledActionName);
    if (current && !sameTarget(current.spec, refOf(input))) {
      throw new AwsError(VALIDATION, `ecsplane keeps scheduled action names unique: ${input.ScheduledActionName} already belongs to ${current.spec.ResourceId}; use another name.`);
    }
    const spec = isoTimes(without(input));
    if (current) await reapply(app, current, { ...current.spec, ...spec });
    else await applyOne(app, resource('ScheduledAction', input.ScheduledActionName, spec));
    return {};
  },

  DescribeScheduledActions({ app }, input) {
    const names: string[] | undefined = input.ScheduledActionNames?.length ? input.ScheduledActionNames : undefined;
    const all = app.store
      .list('ScheduledAction')
      .filter((a) => matches(a.spec, input) && (!names || names.includes(a.metadata.name)))
      .sort(byCreation);
    const page = paginate(all, input, 'DescribeScheduledActions', 50);
    return { ScheduledActions: page.items.map((a) => actionView(app, a)), NextToken: page.NextToken };
  },

  async DeleteScheduledAction({ app }, input) {
    const a = app.store.get('ScheduledAction', input.ScheduledActionName);
    if (!a || !sameTarget(a.spec, refOf(input))) {
      throw new AwsError(NOT_FOUND, `No scheduled action found for service namespace: ${input.ServiceNamespace}, resource ID: ${input.ResourceId}, scalable dimension: ${input.ScalableDimension}, scheduled action name: ${input.ScheduledActionName}`);
    }
    await app.api.deleteAndPersist('ScheduledAction', a.metadata.name);
    return {};
  },
};
