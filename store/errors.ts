/** Store errors mirror the Kubernetes API's status codes. */
export class StoreError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = reason;
  }
}

export class ConflictError extends StoreError {
  constructor(message: string) {
    super(409, 'Conflict', message);
  }
}

export class AlreadyExistsError extends StoreError {
  constructor(message: string) {
    super(409, 'AlreadyExists', message);
  }
}

export class NotFoundError extends StoreError {
  constructor(message: string) {
    super(404, 'NotFound', message);
  }
}

/** A watch asked for history the store no longer keeps (HTTP 410 Gone): relist, then watch. */
export class ExpiredError extends StoreError {
  constructor(message: string) {
    super(410, 'Expired', message);
  }
}

export class CorruptStateError extends Error {
  constructor(path: string, detail: string) {
    super(`state file ${path} is corrupt (${detail}); refusing to start. Move it away or restore a backup.`);
    this.name = 'CorruptStateError';
  }
}

/** The state file could not be written (disk full, file too large, path replaced, ...). */
export class StateWriteError extends Error {
  constructor(
    path: string,
    override readonly cause: Error,
    consequence = '',
  ) {
    super(`could not write the state file ${path}: ${cause.message}${consequence ? `; ${consequence}` : ''}`);
    this.name = 'StateWriteError';
  }
}

/** A file or socket ecsplane must not trust: a symbolic link, another user's, or of the wrong type. */
export class UnsafePathError extends Error {
  constructor(what: string, path: string, why: string) {
    super(`${what} ${path} ${why}; refusing to use it (remove it if it is not yours)`);
    this.name = 'UnsafePathError';
  }
}

export function isConflict(err: unknown): err is ConflictError {
  return err instanceof ConflictError;
}
export function isNotFound(err: unknown): err is NotFoundError {
  return err instanceof NotFoundError;
}
