/**
 * ECS-shaped errors. `type` is the AWS exception name (`ClientException`,
 * `InvalidParameterException`, ...), `field` the JSON path of the offending input.
 */
export class EcsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly field?: string,
  ) {
    super(field ? `${type}: ${field}: ${message}` : `${type}: ${message}`);
    this.name = type;
  }

  /** The ECS wire shape `{__type, message}` plus the field path. */
  toJSON(): { __type: string; message: string; field?: string } {
    return { __type: this.type, message: this.bareMessage, ...(this.field ? { field: this.field } : {}) };
  }

  get bareMessage(): string {
    const prefix = this.field ? `${this.type}: ${this.field}: ` : `${this.type}: `;
    return this.message.slice(prefix.length);
  }
}

/** One or more validation failures for one object; the first is the headline. */
export class ValidationError extends EcsError {
  constructor(readonly errors: EcsError[]) {
    super(errors[0].type, errors.map((e) => e.bareMessage + (e.field ? ` (${e.field})` : '')).join('; '), undefined);
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
} as const;
