/**
 * TargetGroup: a simulated ELBv2 target group (CreateTargetGroup input, PascalCase) plus
 * `DeregistrationDelay` standing in for the `deregistration_delay.timeout_seconds` attribute
 * (ecs-semantics §8). Errors are ELBv2's `ValidationError`.
 */
import { EcsError, ErrorType } from '../errors.js';
import { Issues, checkName, clone, isNum, isStr, obj, type NameRule } from './common.js';
import type { TargetGroupSpec } from './types.js';

/** ELBv2: ≤32 alphanumerics or hyphens, not starting or ending with a hyphen, not starting with `internal-`. */
export const TARGET_GROUP_NAME: NameRule = {
  pattern: /^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/,
  message:
    "Target group names can have a maximum of 32 alphanumeric characters or hyphens, must not begin or end with a hyphen, and must not begin with 'internal-'.",
  nameField: 'Name',
};

const HTTP = new Set(['HTTP', 'HTTPS']);

export function validateTargetGroup(o: any): EcsError[] {
  const issues = new Issues(ErrorType.ElbValidation);
  checkName(o, TARGET_GROUP_NAME, issues);
  const s = obj(o?.spec);
  const lambda = s.TargetType === 'lambda';
  if (!lambda && s.Protocol === undefined) issues.add('spec.Protocol', 'A protocol must be specified.');
  if (!lambda && s.Port === undefined) issues.add('spec.Port', 'A port must be specified.');
  if (lambda && (s.Protocol !== undefined || s.Port !== undefined)) {
    issues.add('spec.TargetType', 'Protocol and port cannot be specified for target groups with target type lambda.');
  }
  const interval = s.HealthCheckIntervalSeconds;
  const timeout = s.HealthCheckTimeoutSeconds;
  if (isNum(interval) && isNum(timeout) && timeout >= interval) {
    issues.add('spec.HealthCheckTimeoutSeconds', 'Health check timeout must be smaller than the interval.');
  }
  if (s.HealthCheckPath !== undefined && !(isStr(s.HealthCheckPath) && s.HealthCheckPath.startsWith('/'))) {
    issues.add('spec.HealthCheckPath', "Health check path must begin with '/'.");
  }
  const hcProtocol = s.HealthCheckProtocol ?? s.Protocol;
  if (s.HealthCheckPath !== undefined && hcProtocol !== undefined && !HTTP.has(hcProtocol)) {
    issues.add('spec.HealthCheckPath', `A health check path is not supported with the ${hcProtocol} health check protocol.`);
  }
  const port = s.HealthCheckPort;
  if (port !== undefined && port !== 'traffic-port' && !/^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$/.test(String(port))) {
    issues.add('spec.HealthCheckPort', "Health check port must be 'traffic-port' or a port number 1-65535.");
  }
  return issues.list;
}

/**
 * The defaulted view (pure), with ELBv2's defaults and ecs-semantics §8's HTTP health check
 * (interval 30 s, timeout 6 s, healthy 5, unhealthy 2) and 300 s deregistration delay.
 */
export function targetGroupWithDefaults(spec: TargetGroupSpec, meta?: { name?: string }): TargetGroupSpec {
  const s = clone(spec) ?? ({} as TargetGroupSpec);
  if (s.Name === undefined && meta?.name) s.Name = meta.name;
  s.TargetType ??= 'instance';
  if (s.TargetType !== 'lambda') {
    s.HealthCheckProtocol ??= s.Protocol && HTTP.has(s.Protocol) ? s.Protocol : 'TCP';
    s.HealthCheckPort ??= 'traffic-port';
    s.IpAddressType ??= 'ipv4';
  }
  const http = s.HealthCheckProtocol !== undefined && HTTP.has(s.HealthCheckProtocol);
  s.HealthCheckEnabled ??= true;
  s.HealthCheckIntervalSeconds ??= 30;
  s.HealthCheckTimeoutSeconds ??= http ? 6 : 10;
  s.HealthyThresholdCount ??= 5;
  s.UnhealthyThresholdCount ??= 2;
  if (http) {
    s.HealthCheckPath ??= '/';
    s.Matcher ??= { HttpCode: '200' };
    if (s.Protocol && HTTP.has(s.Protocol)) s.ProtocolVersion ??= 'HTTP1';
  }
  s.DeregistrationDelay ??= 300;
  return s;
}
