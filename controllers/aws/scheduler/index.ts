/**
 * EventBridge Scheduler on the AWS front end (REST-JSON): CreateSchedule `POST /schedules/{Name}`,
 * GetSchedule `GET /schedules/{Name}`, DeleteSchedule `DELETE /schedules/{Name}`, ListSchedules
 * `GET /schedules`. Thin: a Schedule object's spec is the CreateSchedule request, written through the
 * admission pipeline. Errors as REST-JSON sends them: status, `X-Amzn-ErrorType`, body `{"Message"}`.
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_Operations.html
 */
import type { IncomingMessage } from 'node:http';
import type { Resource } from '../../../api/meta.js';
import { scheduleArn } from '../../events/schedule-reconciler.js';
import { AwsError, toAwsError } from '../errors.js';
import type { ServiceModel } from '../model.js';
import type { RawHandler, RawResponse, RequestContext } from '../router.js';
import { checkInput, shapeOutput } from '../shapes.js';
import { applyOne } from '../ecs/apply.js';
import { resource } from '../ecs/common.js';
import schedulerModelFile from '../../../api/aws-models/scheduler.json' with { type: 'json' };

export const schedulerModel = schedulerModelFile as unknown as ServiceModel;
const VALIDATION = 'ValidationException';
const STATUS: Record<string, number> = { ValidationException: 400, ResourceNotFoundException: 404, ConflictException: 409 };

const epoch = (iso: string | undefined) => (iso ? Date.parse(iso) / 1000 : undefined);

function view(s: Resource): Record<string, unknown> {
  const group = s.spec.GroupName ?? 'default';
  return {
    ...s.spec,
    Arn: scheduleArn(group, s.metadata.name),
    Name: s.metadata.name,
    GroupName: group,
    State: s.spec.State ?? 'ENABLED',
    ScheduleExpressionTimezone: s.spec.ScheduleExpressionTimezone ?? 'UTC',
    ActionAfterCompletion: s.spec.ActionAfterCompletion ?? 'NONE',
    CreationDate: epoch(s.metadata.creationTimestamp),
    LastModificationDate: epoch(s.status?.conditions?.[0]?.lastTransitionTime ?? s.metadata.creationTimestamp),
    StartDate: typeof s.spec.StartDate === 'string' ? epoch(s.spec.StartDate) : s.spec.StartDate,
    EndDate: typeof s.spec.EndDate === 'string' ? epoch(s.spec.EndDate) : s.spec.EndDate,
  };
}

function found(ctx: RequestContext, name: string, group: string | null): Resource {
  const s = ctx.app.store.get('Schedule', name);
  if (!s || (group && (s.spec.GroupName ?? 'default') !== group)) throw new AwsError('ResourceNotFoundException', `Schedule ${name.slice(0, 64)} does not exist.`);
  return s;
}

/** REST-JSON timestamps arrive as epoch seconds; the spec keeps them as the ISO text the kind validates. */
function isoDates(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  for (const k of ['StartDate', 'EndDate']) if (typeof out[k] === 'number') out[k] = new Date((out[k] as number) * 1000).toISOString();
  return out;
}

async function route(ctx: RequestContext, method: string, path: string, query: URLSearchParams, body: string): Promise<unknown> {
  const one = /^\/schedules\/([^/]+)$/.exec(path);
  if (one) {
    const name = decodeURIComponent(one[1]);
    if (method === 'POST') {
      let input: Record<string, unknown>;
      try {
        input = body.trim() === '' ? {} : JSON.parse(body);
      } catch {
        throw new AwsError('SerializationException', 'Request body is not valid JSON.');
      }
      checkInput(schedulerModel, 'CreateScheduleInput', { ...input, Name: name }, VALIDATION);
      if (ctx.app.store.get('Schedule', name)) throw new AwsError('ConflictException', `Schedule ${name.slice(0, 64)} already exists.`);
      const created = await applyOne(ctx.app, resource('Schedule', name, isoDates({ ...input, Name: name })));
      return shapeOutput(schedulerModel, 'CreateScheduleOutput', { ScheduleArn: scheduleArn(created.spec.GroupName ?? 'default', name) });
    }
    if (method === 'GET') return shapeOutput(schedulerModel, 'GetScheduleOutput', view(found(ctx, name, query.get('groupName'))));
    if (method === 'DELETE') {
      found(ctx, name, query.get('groupName'));
      await ctx.app.api.deleteAndPersist('Schedule', name);
      return {};
    }
  }
  if (path === '/schedules' && method === 'GET') {
    const prefix = query.get('NamePrefix');
    const state = query.get('State');
    const group = query.get('ScheduleGroup');
    const max = Number(query.get('MaxResults') ?? 100);
    if (!Number.isInteger(max) || max < 1 || max > 100) throw new AwsError(VALIDATION, 'MaxResults must be between 1 and 100.');
    const start = Number(Buffer.from(query.get('NextToken') ?? '', 'base64url').toString('utf8') || 0);
    const all = ctx.app.store
      .list('Schedule')
      .map(view)
      .filter((s: any) => (!prefix || s.Name.startsWith(prefix)) && (!state || s.State === state) && (!group || s.GroupName === group))
      .sort((a: any, b: any) => (a.Name < b.Name ? -1 : 1));
    const items = all.slice(start, start + max).map((s: any) => ({ Arn: s.Arn, Name: s.Name, GroupName: s.GroupName, State: s.State, CreationDate: s.CreationDate, LastModificationDate: s.LastModificationDate, Target: { Arn: s.Target?.Arn } }));
    const next = start + max < all.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
    return shapeOutput(schedulerModel, 'ListSchedulesOutput', { Schedules: items, ...(next ? { NextToken: next } : {}) });
  }
  throw new AwsError('UnknownOperationException', `${method} ${path.slice(0, 64)} is not a Scheduler operation ecsplane serves.`, 404);
}

/** Requests for `/schedules…` without an X-Amz-Target header. */
export function schedulerHandler(): RawHandler {
  return async (ctx, req: IncomingMessage, body: string): Promise<RawResponse | undefined> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/schedules' && !url.pathname.startsWith('/schedules/')) return undefined;
    try {
      const out = await route(ctx, req.method ?? 'GET', url.pathname, url.searchParams, body);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(out) };
    } catch (err) {
      const e = toAwsError(err, 'ResourceNotFoundException');
      return { status: e.status === 400 ? (STATUS[e.type] ?? 400) : e.status, headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': e.type }, body: JSON.stringify({ Message: e.message }) };
    }
  };
}
