/**
 * ECS-shaped errors. `type` is the AWS exception name (`ClientException`,
 * `InvalidParameterException`, ...), `field` the JSON path of the offending input.
 *
 * Messages echo user input, which can be megabytes long: every echoed value goes through
 * `capValue`, and the constructor caps the field path and the whole message as a backstop, so an
 * error is always small whatever the input.
 */

/** Longest part of a value an error message shows. */
export const MAX_ECHO = 64;
const MAX_FIELD = 256;
const MAX_MESSAGE = 4096;
/** Problems a ValidationError lists in its message (all stay in `errors`). */
const MAX_LISTED = 10;

/** `s`, or its first `max` characters plus `…(N bytes)` when it is longer. */
export function capText(s: string, max: number): string {
  if (s.length <= max) return s;
  // Do not cut a surrogate pair in half.
  const end = /[\uD800-\uDBFF]/.test(s[max - 1]) ? max - 1 : max;
  return `${s.slice(0, end)}…(${Buffer.byteLength(s, 'utf8')} bytes)`;
}

/** A user value as error messages show it: strings as they are, anything else as JSON; capped. */
export function capValue(v: unknown, max = MAX_ECHO): string {
  if (typeof v === 'string') return capText(v, max);
  if (v === undefined || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return capText(String(v), max);
  let json: string | undefined;
  try {
    json = JSON.stringify(v);
  } catch {
    json = undefined; // cyclic or exotic: not JSON a user sent
  }
  return capText(json ?? Object.prototype.toString.call(v), max);
}

/** capValue in JSON quotes for strings (`"web"`), as JSON for the rest: for messages that quote values. */
export function quoted(v: unknown, max = MAX_ECHO): string {
  return typeof v === 'string' ? JSON.stringify(capText(v, max)) : capValue(v, max);
}

export class EcsError extends Error {
  readonly type: string;
  readonly field?: string;
  /** The message without the `type: field: ` prefix. */
  readonly bareMessage: string;

  constructor(type: string, message: string, field?: string) {
    const f = field === undefined ? undefined : capText(field, MAX_FIELD);
    const m = capText(message, MAX_MESSAGE);
    super(f ? `${type}: ${f}: ${m}` : `${type}: ${m}`);
    this.name = type;
    this.type = type;
    if (f !== undefined) this.field = f;
    this.bareMessage = m;
  }

  /** The ECS wire shape `{__type, message}` plus the field path. */
  toJSON(): { __type: string; message: string; field?: string } {
    return { __type: this.type, message: this.bareMessage, ...(this.field ? { field: this.field } : {}) };
  }
}

/** One or more validation failures for one object; the first is the headline. */
export class ValidationError extends EcsError {
  readonly errors: EcsError[];

  constructor(errors: EcsError[]) {
    const listed = errors.slice(0, MAX_LISTED).map((e) => e.bareMessage + (e.field ? ` (${e.field})` : ''));
    if (errors.length > MAX_LISTED) listed.push(`… and ${errors.length - MAX_LISTED} more problems`);
    super(errors[0].type, listed.join('; '), undefined);
    this.errors = errors;
  }
}

export const ErrorType = {
  Client: 'ClientException',
  InvalidParameter: 'InvalidParameterException',
  ClusterNotFound: 'ClusterNotFoundException',
  ServiceNotFound: 'ServiceNotFoundException',
  ServiceNotActive: 'ServiceNotActiveException',
  ResourceInUse: 'ResourceInUseException',
  LimitExceeded: 'LimitExceededException',
  AttributeLimitExceeded: 'AttributeLimitExceededException',
  PlatformTaskDefinitionIncompatibility: 'PlatformTaskDefinitionIncompatibilityException',
  ClusterContainsServices: 'ClusterContainsServicesException',
  ClusterContainsTasks: 'ClusterContainsTasksException',
  ClusterContainsContainerInstances: 'ClusterContainsContainerInstancesException',
  Validation: 'ValidationException', // Application Auto Scaling
  ObjectNotFound: 'ObjectNotFoundException', // Application Auto Scaling
  AutoScalingValidation: 'ValidationError', // EC2 Auto Scaling
  ElbValidation: 'ValidationError', // Elastic Load Balancing v2
  SqsInvalidAttributeName: 'InvalidAttributeName', // Amazon SQS
  SqsInvalidAttributeValue: 'InvalidAttributeValue',
  SqsInvalidParameterValue: 'InvalidParameterValue',
  CloudWatchInvalidParameterValue: 'InvalidParameterValueException', // Amazon CloudWatch
  CloudWatchInvalidParameterCombination: 'InvalidParameterCombinationException',
  CloudWatchMissingParameter: 'MissingRequiredParameterException',
} as const;
