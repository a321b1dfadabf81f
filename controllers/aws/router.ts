/**
 * Which handler serves a request: AWS JSON services by their `X-Amz-Target` prefix (one file per
 * service registers itself), other protocols (AWS Query forms, ecsplane's own `/_ecsplane/*`
 * paths) through the generic hooks. The server core knows none of them.
 */
import type { IncomingMessage } from 'node:http';
import type { App } from '../register.js';
import type { ServiceModel } from './model.js';

export interface RequestContext {
  app: App;
  requestId: string;
  /** From the SigV4 credential scope; the default region otherwise. */
  region: string;
  /** Writes of the AWS front end (account settings, ...) that live beside the store. */
  extras: FrontEndState;
  /** The request's Host header (SQS queue URLs point back at the server). */
  host?: string;
}

/** Small account-level state no ecsplane kind holds (see ecs/account-settings.ts). */
export interface FrontEndState {
  get(key: string): unknown;
  set(key: string, value: unknown): Promise<void>;
  /** Forget everything (`POST /_ecsplane/reset`). */
  clear?(): Promise<void>;
}

export type JsonOperation = (ctx: RequestContext, input: any) => unknown;

export interface JsonService {
  model: ServiceModel;
  operations: Record<string, JsonOperation>;
  /** The exception for input outside the model (default InvalidParameterException, ECS's). */
  invalidInputType?: string;
}

export interface RawResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** A handler for requests that are not AWS JSON (AWS Query forms, `/_ecsplane/*`); undefined = not mine. */
export type RawHandler = (ctx: RequestContext, req: IncomingMessage, body: string) => Promise<RawResponse | undefined> | RawResponse | undefined;

export class AwsRouter {
  private readonly json = new Map<string, JsonService>();
  private readonly raw: RawHandler[] = [];

  addJsonService(service: JsonService): this {
    this.json.set(service.model.metadata.targetPrefix, service);
    return this;
  }

  /** Tried in order for every request without an `X-Amz-Target` header. */
  addRawHandler(handler: RawHandler): this {
    this.raw.push(handler);
    return this;
  }

  jsonService(targetPrefix: string): JsonService | undefined {
    return this.json.get(targetPrefix);
  }

  get rawHandlers(): readonly RawHandler[] {
    return this.raw;
  }
}
