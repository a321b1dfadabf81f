/**
 * Queue (Amazon SQS CreateQueue input) rules and defaults. Attribute values are strings, as in the SQS
 * API; ranges and defaults from the CreateQueue reference:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
 * An unknown attribute is InvalidAttributeName, a bad value InvalidAttributeValue, a bad queue name
 * InvalidParameterValue (SQS's own error names).
 */
import { ACCOUNT, REGION } from '../arn.js';
import { EcsError, ErrorType, capValue } from '../errors.js';
import { Issues, checkName, clone, isStr, obj, type NameRule } from './common.js';

/** 1-80 alphanumerics, hyphens and underscores; a FIFO queue's name ends in `.fifo`. */
export const QUEUE_NAME: NameRule = {
  pattern: /^[A-Za-z0-9_-]{1,80}$|^[A-Za-z0-9_-]{1,75}\.fifo$/,
  message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.',
  nameField: 'QueueName',
};

/** Integer attributes: [min, max, default]. */
export const INT_ATTRIBUTES: Record<string, [number, number, number | undefined]> = {
  DelaySeconds: [0, 900, 0],
  MaximumMessageSize: [1024, 1_048_576, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600, 345_600],
  ReceiveMessageWaitTimeSeconds: [0, 20, 0],
  VisibilityTimeout: [0, 43_200, 30],
  KmsDataKeyReusePeriodSeconds: [60, 86_400, undefined],
};
const BOOL_ATTRIBUTES = ['FifoQueue', 'ContentBasedDeduplication', 'SqsManagedSseEnabled'];
const ENUM_ATTRIBUTES: Record<string, string[]> = {
  DeduplicationScope: ['messageGroup', 'queue'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};
const TEXT_ATTRIBUTES = ['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId'];
export const QUEUE_ATTRIBUTES = [...Object.keys(INT_ATTRIBUTES), ...BOOL_ATTRIBUTES, ...Object.keys(ENUM_ATTRIBUTES), ...TEXT_ATTRIBUTES];
const FIFO_ONLY = ['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'];

/** `arn:aws:sqs:<region>:<account>:<name>`. */
export const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
const QUEUE_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:([A-Za-z0-9_.-]{1,80})$/;
/** The queue name of an SQS queue ARN, or undefined. */
export const queueNameFromArn = (ref: unknown): string | undefined => (isStr(ref) ? QUEUE_ARN.exec(ref)?.[1] : undefined);

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** The parsed RedrivePolicy, or the problem with it. maxReceiveCount: 1-1000 (SQS DLQ docs). */
export function parseRedrivePolicy(text: string): RedrivePolicy | { error: string } {
  let p: any;
  try {
    p = JSON.parse(text);
  } catch {
    return { error: 'Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.' };
  }
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return { error: 'Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.' };
  const count = typeof p.maxReceiveCount === 'string' ? Number(p.maxReceiveCount) : p.maxReceiveCount;
  if (!queueNameFromArn(p.deadLetterTargetArn)) {
    return { error: `Value ${capValue(p.deadLetterTargetArn)} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn (use arn:aws:sqs:<region>:<account>:<queue>).` };
  }
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    return { error: `Value ${capValue(p.maxReceiveCount)} for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: must be an integer from 1 to 1000.` };
  }
  const extra = Object.keys(p).filter((k) => k !== 'deadLetterTargetArn' && k !== 'maxReceiveCount');
  if (extra.length) return { error: `Value for parameter RedrivePolicy is invalid. Reason: Unknown key ${capValue(extra[0])}.` };
  return { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: count };
}

export function validateQueue(o: any): EcsError[] {
  const issues = new Issues(ErrorType.SqsInvalidAttributeValue);
  const nameIssues = new Issues(ErrorType.SqsInvalidParameterValue);
  const name = checkName(o, QUEUE_NAME, nameIssues);
  issues.list.push(...nameIssues.list);
  const attrs = obj(o?.spec?.Attributes);
  const at = (k: string) => `spec.Attributes.${k}`;
  for (const [k, v] of Object.entries(attrs)) {
    if (!QUEUE_ATTRIBUTES.includes(k)) {
      issues.add(at(k), `Unknown Attribute ${capValue(k)}.`, ErrorType.SqsInvalidAttributeName);
      continue;
    }
    if (!isStr(v)) continue; // the schema reports it (SQS attribute values are strings)
    const range = INT_ATTRIBUTES[k];
    if (range && !(/^\d{1,10}$/.test(v) && Number(v) >= range[0] && Number(v) <= range[1])) {
      issues.add(at(k), `Invalid value for the parameter ${k}: ${capValue(v)} (an integer from ${range[0]} to ${range[1]}).`);
    }
    if (BOOL_ATTRIBUTES.includes(k) && v !== 'true' && v !== 'false') issues.add(at(k), `Invalid value for the parameter ${k}: ${capValue(v)} (true or false).`);
    if (ENUM_ATTRIBUTES[k] && !ENUM_ATTRIBUTES[k].includes(v)) issues.add(at(k), `Invalid value for the parameter ${k}: ${capValue(v)} (one of ${ENUM_ATTRIBUTES[k].join(', ')}).`);
  }
  const fifo = attrs.FifoQueue === 'true';
  if (isStr(name) && fifo !== name.endsWith('.fifo')) {
    issues.add(fifo ? at('FifoQueue') : 'metadata.name', fifo ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.' : 'Only a FIFO queue (FifoQueue true) can have a name ending in .fifo.', fifo ? undefined : ErrorType.SqsInvalidParameterValue);
  }
  if (!fifo) for (const k of FIFO_ONLY) if (attrs[k] !== undefined) issues.add(at(k), `Unknown Attribute ${k}: it applies to FIFO queues only.`, ErrorType.SqsInvalidAttributeName);
  if (isStr(attrs.RedrivePolicy)) {
    const r = parseRedrivePolicy(attrs.RedrivePolicy);
    if ('error' in r) issues.add(at('RedrivePolicy'), r.error);
    else if (queueNameFromArn(r.deadLetterTargetArn) === name) issues.add(at('RedrivePolicy'), 'Value for parameter RedrivePolicy is invalid. Reason: a queue cannot be its own dead-letter queue.');
  }
  for (const k of ['Policy', 'RedriveAllowPolicy']) {
    if (!isStr(attrs[k])) continue;
    try {
      const p = JSON.parse(attrs[k]);
      if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new Error();
    } catch {
      issues.add(at(k), `Invalid value for the parameter ${k}: it must be a JSON object.`);
    }
  }
  return issues.list;
}

/** The defaulted view (pure): QueueName from metadata.name, integer attributes' defaults (as strings). */
export function queueWithDefaults(spec: any, meta?: { name?: string }): any {
  const s = clone(spec) ?? {};
  if (s.QueueName === undefined && meta?.name) s.QueueName = meta.name;
  const attrs = { ...obj(s.Attributes) };
  for (const [k, [, , d]] of Object.entries(INT_ATTRIBUTES)) if (attrs[k] === undefined && d !== undefined) attrs[k] = String(d);
  s.Attributes = attrs;
  return s;
}

/** A defaulted spec's attributes as numbers (the queue loop's view). */
export interface QueueSettings {
  delaySeconds: number;
  retentionSeconds: number;
  visibilityTimeoutSeconds: number;
  redrive?: RedrivePolicy;
}

export function queueSettings(defaulted: any): QueueSettings {
  const a = obj(defaulted?.Attributes);
  const n = (k: string) => Number(a[k] ?? INT_ATTRIBUTES[k][2]);
  const r = isStr(a.RedrivePolicy) ? parseRedrivePolicy(a.RedrivePolicy) : undefined;
  return {
    delaySeconds: n('DelaySeconds'),
    retentionSeconds: n('MessageRetentionPeriod'),
    visibilityTimeoutSeconds: n('VisibilityTimeout'),
    ...(r && !('error' in r) ? { redrive: r } : {}),
  };
}
