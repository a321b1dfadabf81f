/**
 * CreateTargetGroup, DescribeTargetGroups, DeleteTargetGroup, Modify/DescribeTargetGroupAttributes and
 * DescribeTargetHealth → the TargetGroup kind. `deregistration_delay.timeout_seconds` is the kind's
 * `DeregistrationDelay`; target health comes from status (controllers/load-balancer).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html
 */
import { arn } from '../../../api/arn.js';
import type { Resource } from '../../../api/meta.js';
import { withDefaults } from '../../../api/validate.js';
import type { App } from '../../register.js';
import { targetGroupName } from '../../load-balancer/targets.js';
import { AwsError } from '../errors.js';
import { applyOne, reapply } from '../ecs/apply.js';
import { resource, without } from '../ecs/common.js';
import type { QueryOperation } from '../query/handler.js';
import { jsonEqual } from '../../../store/objects.js';

export const VALIDATION = 'ValidationError';
const NOT_FOUND = 'TargetGroupNotFoundException';
const DELAY_KEY = 'deregistration_delay.timeout_seconds';

function requireGroup(app: App, ref: string): Resource {
  const tg = app.store.get('TargetGroup', targetGroupName(ref));
  if (!tg || tg.metadata.deletionTimestamp) throw new AwsError(NOT_FOUND, 'One or more target groups not found');
  return tg;
}

function groupView(app: App, tg: Resource): Record<string, unknown> {
  const s = withDefaults('TargetGroup', tg.spec, { name: tg.metadata.name }) as Record<string, unknown>;
  const loadBalancers = new Set<string>();
  for (const svc of app.store.list('Service')) {
    for (const lb of svc.spec.loadBalancers ?? []) {
      if (lb.targetGroupArn && targetGroupName(lb.targetGroupArn) === tg.metadata.name && lb.loadBalancerName) loadBalancers.add(lb.loadBalancerName);
    }
  }
  return { ...s, TargetGroupName: tg.metadata.name, TargetGroupArn: arn.targetGroup(tg.metadata.name), HealthCheckEnabled: s.HealthCheckEnabled, LoadBalancerArns: [...loadBalancers] };
}

function attributes(tg: Resource): Array<{ Key: string; Value: string }> {
  return [
    { Key: DELAY_KEY, Value: String(tg.spec.DeregistrationDelay ?? 300) },
    { Key: 'stickiness.enabled', Value: 'false' },
  ];
}

/** Marker / PageSize (ELBv2 paging, PageSize 1–400). */
function pageOf<T>(items: T[], input: { Marker?: string; PageSize?: number }): { items: T[]; NextMarker?: string } {
  const size = input.PageSize ?? 400;
  let start = 0;
  if (input.Marker) {
    const m = /^TargetGroups:(\d{1,9})$/.exec(Buffer.from(input.Marker, 'base64url').toString('utf8'));
    if (!m) throw new AwsError(VALIDATION, 'Invalid Marker.');
    start = Number(m[1]);
  }
  const page = items.slice(start, start + size);
  return start + size < items.length ? { items: page, NextMarker: Buffer.from(`TargetGroups:${start + size}`).toString('base64url') } : { items: page };
}

export const targetGroupOperations: Record<string, QueryOperation> = {
  /** Creating a group that exists with the same settings returns it (ELBv2 is idempotent here). */
  async CreateTargetGroup({ app }, input) {
    const spec = without(input);
    const current = app.store.get('TargetGroup', input.Name);
    const settings = (s: Record<string, unknown>) => Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'DeregistrationDelay'));
    if (current && !jsonEqual(settings(spec), settings(current.spec))) {
      throw new AwsError('DuplicateTargetGroupNameException', `A target group with the same name '${input.Name}' exists, but with different settings`);
    }
    const tg = current ?? (await applyOne(app, resource('TargetGroup', input.Name, spec)));
    return { TargetGroups: [groupView(app, tg)] };
  },

  DescribeTargetGroups({ app }, input) {
    const refs: string[] = [...(input.TargetGroupArns ?? []), ...(input.Names ?? [])];
    let groups: Resource[];
    if (refs.length) groups = refs.map((r) => requireGroup(app, r));
    else groups = app.store.list('TargetGroup').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    if (input.LoadBalancerArn) throw new AwsError(VALIDATION, 'ecsplane does not simulate load balancers: filter by TargetGroupArns or Names.');
    const page = pageOf(groups, input);
    return { TargetGroups: page.items.map((tg) => groupView(app, tg)), NextMarker: page.NextMarker };
  },

  /** Deleting a group that does not exist succeeds (the model has no not-found error for it). */
  async DeleteTargetGroup({ app }, input) {
    const name = targetGroupName(input.TargetGroupArn);
    if (app.store.get('TargetGroup', name)) await app.api.deleteAndPersist('TargetGroup', name);
    return {};
  },

  async ModifyTargetGroupAttributes({ app }, input) {
    const tg = requireGroup(app, input.TargetGroupArn);
    let delay = tg.spec.DeregistrationDelay;
    for (const a of input.Attributes as Array<{ Key?: string; Value?: string }>) {
      if (a.Key !== DELAY_KEY) throw new AwsError(VALIDATION, `ecsplane simulates the target group attribute ${DELAY_KEY} only, not '${String(a.Key).slice(0, 64)}'.`);
      if (!/^[0-9]{1,4}$/.test(a.Value ?? '') || Number(a.Value) > 3600) {
        throw new AwsError(VALIDATION, `'${String(a.Value).slice(0, 64)}' is not a valid value for ${DELAY_KEY}: use an integer from 0 to 3600.`);
      }
      delay = Number(a.Value);
    }
    const updated = await reapply(app, tg, { ...tg.spec, DeregistrationDelay: delay });
    return { Attributes: attributes(updated) };
  },

  DescribeTargetGroupAttributes({ app }, input) {
    return { Attributes: attributes(requireGroup(app, input.TargetGroupArn)) };
  },

  DescribeTargetHealth({ app }, input) {
    const tg = requireGroup(app, input.TargetGroupArn);
    const port = (tg.spec.HealthCheckPort ?? 'traffic-port') as string;
    let all = ((tg.status?.TargetHealthDescriptions ?? []) as Array<{ Target: { Id: string; Port?: number } }>).map((d) => ({
      ...d,
      HealthCheckPort: port === 'traffic-port' ? String(d.Target.Port ?? '') : port,
    }));
    const wanted = input.Targets as Array<{ Id: string; Port?: number }> | undefined;
    if (wanted?.length) all = all.filter((d) => wanted.some((w) => w.Id === d.Target.Id && (w.Port === undefined || w.Port === d.Target.Port)));
    return { TargetHealthDescriptions: all };
  },
};
