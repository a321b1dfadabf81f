/**
 * EventBridge on the AWS front end (AWS JSON 1.1, `X-Amz-Target: AWSEvents.<Operation>`): PutRule,
 * PutTargets, DescribeRule, ListRules, ListTargetsByRule, DeleteRule, RemoveTargets, PutEvents. Thin:
 * a Rule object's spec is the PutRule request plus its Targets, written through the admission pipeline.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Operations.html
 * ecsplane keys rules by name: one rule name across event buses.
 */
import { ACCOUNT } from '../../../api/arn.js';
import type { Resource } from '../../../api/meta.js';
import { putEventsEntryError } from '../../events/bus.js';
import { ruleArn } from '../../events/rule-plan.js';
import { AwsError } from '../errors.js';
import type { ServiceModel } from '../model.js';
import type { JsonOperation, JsonService, RequestContext } from '../router.js';
import { applyOne } from '../ecs/apply.js';
import { resource } from '../ecs/common.js';
import eventsModelFile from '../../../api/aws-models/events.json' with { type: 'json' };

export const eventsModel = eventsModelFile as unknown as ServiceModel;
const VALIDATION = 'ValidationException';
const NOT_FOUND = 'ResourceNotFoundException';

/** `default`, a bus name or a bus ARN → the bus name. */
function busName(ref: unknown): string {
  if (typeof ref !== 'string' || ref === '') return 'default';
  return ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf('/') + 1) : ref;
}

function ruleOf(ctx: RequestContext, name: unknown, bus: unknown): Resource {
  const r = typeof name === 'string' ? ctx.app.store.get('Rule', name) : undefined;
  if (!r || (r.spec.EventBusName ?? 'default') !== busName(bus)) {
    throw new AwsError(NOT_FOUND, `Rule ${String(name).slice(0, 64)} does not exist on EventBus ${busName(bus).slice(0, 64)}.`);
  }
  return r;
}

function describe(r: Resource): Record<string, unknown> {
  const s = r.spec;
  const bus = s.EventBusName ?? 'default';
  return {
    Name: r.metadata.name,
    Arn: ruleArn(r.metadata.name, bus),
    ...(s.EventPattern !== undefined ? { EventPattern: s.EventPattern } : {}),
    ...(s.ScheduleExpression !== undefined ? { ScheduleExpression: s.ScheduleExpression } : {}),
    State: s.State ?? 'ENABLED',
    ...(s.Description !== undefined ? { Description: s.Description } : {}),
    ...(s.RoleArn !== undefined ? { RoleArn: s.RoleArn } : {}),
    EventBusName: bus,
    CreatedBy: ACCOUNT,
  };
}

async function write(ctx: RequestContext, name: string, spec: Record<string, unknown>): Promise<Resource> {
  return applyOne(ctx.app, resource('Rule', name, spec));
}

function page<T>(items: T[], input: { NextToken?: string; Limit?: number }, op: string): { items: T[]; next?: string } {
  const limit = input.Limit ?? 100;
  let start = 0;
  if (input.NextToken) {
    const m = /^([A-Za-z]+):(\d{1,9})$/.exec(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
    if (!m || m[1] !== op) throw new AwsError(VALIDATION, 'Invalid NextToken.');
    start = Number(m[2]);
  }
  const end = start + limit;
  return { items: items.slice(start, end), ...(end < items.length ? { next: Buffer.from(`${op}:${end}`).toString('base64url') } : {}) };
}

const operations: Record<string, JsonOperation> = {
  async PutRule(ctx, input) {
    const current = ctx.app.store.get('Rule', input.Name);
    // PutRule creates or updates the rule; its targets stay as PutTargets left them.
    const spec: Record<string, unknown> = { ...input, ...(current?.spec.Targets ? { Targets: current.spec.Targets } : {}) };
    if (input.EventBusName !== undefined) spec.EventBusName = busName(input.EventBusName);
    const r = await write(ctx, input.Name, spec);
    return { RuleArn: ruleArn(r.metadata.name, r.spec.EventBusName ?? 'default') };
  },

  async PutTargets(ctx, input) {
    const r = ruleOf(ctx, input.Rule, input.EventBusName);
    const byId = new Map<string, unknown>((r.spec.Targets ?? []).map((t: any) => [t.Id, t]));
    for (const t of input.Targets) byId.set(t.Id, t);
    await write(ctx, r.metadata.name, { ...r.spec, Targets: [...byId.values()] });
    return { FailedEntryCount: 0, FailedEntries: [] };
  },

  async RemoveTargets(ctx, input) {
    const r = ruleOf(ctx, input.Rule, input.EventBusName);
    const remove = new Set<string>(input.Ids);
    const failed = [...remove].filter((id) => !(r.spec.Targets ?? []).some((t: any) => t.Id === id));
    const { Targets: _all, ...rest } = r.spec;
    const left = (r.spec.Targets ?? []).filter((t: any) => !remove.has(t.Id));
    await write(ctx, r.metadata.name, left.length ? { ...rest, Targets: left } : rest);
    return {
      FailedEntryCount: failed.length,
      FailedEntries: failed.map((id) => ({ TargetId: id, ErrorCode: NOT_FOUND, ErrorMessage: `Target ${id} does not exist on rule ${r.metadata.name}.` })),
    };
  },

  DescribeRule(ctx, input) {
    return describe(ruleOf(ctx, input.Name, input.EventBusName));
  },

  ListRules(ctx, input) {
    const bus = busName(input.EventBusName);
    const rules = ctx.app.store
      .list('Rule')
      .filter((r) => (r.spec.EventBusName ?? 'default') === bus && (!input.NamePrefix || r.metadata.name.startsWith(input.NamePrefix)))
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const { items, next } = page(rules, input, 'ListRules');
    return { Rules: items.map(describe), ...(next ? { NextToken: next } : {}) };
  },

  ListTargetsByRule(ctx, input) {
    const r = ruleOf(ctx, input.Rule, input.EventBusName);
    const { items, next } = page<unknown>(r.spec.Targets ?? [], input, 'ListTargetsByRule');
    return { Targets: items, ...(next ? { NextToken: next } : {}) };
  },

  async DeleteRule(ctx, input) {
    const r = ruleOf(ctx, input.Name, input.EventBusName);
    if ((r.spec.Targets ?? []).length > 0) throw new AwsError(VALIDATION, 'Rule can\'t be deleted since it has targets.');
    await ctx.app.api.deleteAndPersist('Rule', r.metadata.name);
    return {};
  },

  PutEvents(ctx, input) {
    const entries = input.Entries.map((raw: any) => {
      // JSON protocols send timestamps as epoch seconds.
      const e = typeof raw.Time === 'number' ? { ...raw, Time: new Date(raw.Time * 1000).toISOString() } : raw;
      const err = putEventsEntryError(e);
      if (err) return { ErrorCode: 'MalformedDetail', ErrorMessage: err };
      return { EventId: ctx.app.bus.put({ ...e, EventBusName: busName(e.EventBusName) }).event.id };
    });
    return { FailedEntryCount: entries.filter((e: any) => e.ErrorCode).length, Entries: entries };
  },
};

export const eventsService: JsonService = { model: eventsModel, invalidInputType: VALIDATION, operations };
