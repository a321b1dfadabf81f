/**
 * Errors as AWS JSON 1.1 services send them: HTTP status, `x-amzn-ErrorType` and a body
 * `{"__type", "message"}`. ecsplane's EcsError (the admission pipeline's) maps one to one; a store
 * NotFoundError becomes the operation's own not-found exception.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html
 */
import { EcsError } from '../../api/errors.js';
import { NotFoundError, ConflictError } from '../../store/errors.js';

export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** The exception types of the protocol itself (not of a service model). */
export const ProtocolError = {
  UnknownOperation: 'UnknownOperationException',
  Serialization: 'SerializationException',
  InternalFailure: 'InternalFailure',
  RequestTooLarge: 'RequestEntityTooLargeException',
} as const;

/** Any thrown value as the wire error; `notFoundType` names a store NotFoundError for this operation. */
export function toAwsError(err: unknown, notFoundType = 'ClientException'): AwsError {
  if (err instanceof AwsError) return err;
  if (err instanceof EcsError) return new AwsError(err.type, err.field ? `${err.bareMessage} (${err.field})` : err.bareMessage);
  if (err instanceof NotFoundError) return new AwsError(notFoundType, err.message);
  // A write raced another writer five times: the caller may retry, as with ECS's throttling.
  if (err instanceof ConflictError) return new AwsError('ClientException', `${err.message}; retry the request`);
  return new AwsError(ProtocolError.InternalFailure, 'The request processing has failed because of an unknown error, exception or failure.', 500);
}
