/**
 * The AWS API front end: node:http, AWS JSON 1.1 over POST (`X-Amz-Target: <prefix>.<Operation>`),
 * SigV4 parsed not verified, `x-amzn-RequestId` on every response, errors as AWS sends them
 * (HTTP 400, `x-amzn-ErrorType`, body `{"__type", "message"}`; 500 InternalFailure). A thin adapter
 * over the admission pipeline (app.api) and the store: it checks the botocore input shape only.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { REGION } from '../../api/arn.js';
import type { App } from '../register.js';
import { AwsError, ProtocolError, toAwsError } from './errors.js';
import { AwsRouter, type FrontEndState, type RequestContext } from './router.js';
import { parseAuthorization } from './sigv4.js';
import { checkInput, shapeOutput } from './shapes.js';
import type { ServiceModel } from './model.js';
import { ecsService } from './ecs/index.js';
import { frontEndState } from './front-end-state.js';
import { aasService } from './aas/index.js';
import { autoscalingService } from './autoscaling/index.js';
import { elbv2Service } from './elbv2/index.js';
import { cloudwatchJsonService, cloudwatchQueryService } from './cloudwatch/index.js';
import { sqsService } from './sqs/index.js';
import { queryHandler } from './query/handler.js';
import { eventsService } from './events/index.js';
import { schedulerHandler } from './scheduler/index.js';

/** Larger than any ECS request (a task definition is at most 64 KiB); a bigger body is refused unread. */
export const MAX_BODY_BYTES = 1 << 20;
const NOT_FOUND_TYPE: Record<string, string> = { UpdateService: 'ServiceNotFoundException', DeleteService: 'ServiceNotFoundException' };

export interface AwsServerOptions {
  host?: string;
  port?: number;
  router?: AwsRouter;
  extras?: FrontEndState;
  /** Test hooks: run before / after every operation (advance a manual clock, drain the loops). */
  beforeOperation?: (operation: string) => void | Promise<void>;
  afterOperation?: (operation: string) => void | Promise<void>;
}

export interface AwsServer {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  readonly router: AwsRouter;
  close(): Promise<void>;
}

/** The router with every service ecsplane serves (later services add themselves here). */
export function defaultRouter(): AwsRouter {
  return new AwsRouter()
    .addJsonService(ecsService)
    .addJsonService(aasService)
    .addJsonService(cloudwatchJsonService)
    .addJsonService(sqsService)
    .addJsonService(eventsService)
    .addRawHandler(schedulerHandler())
    .addRawHandler(queryHandler([autoscalingService, elbv2Service, cloudwatchQueryService]));
}

export async function startAwsServer(app: App, opts: AwsServerOptions = {}): Promise<AwsServer> {
  const router = opts.router ?? defaultRouter();
  const extras = opts.extras ?? frontEndState();
  const server = createServer((req, res) => {
    app.manager.noteForeground();
    handle(app, router, extras, opts, req, res).catch(() => {
      if (!res.headersSent) send(res, randomUUID(), 500, { 'x-amzn-ErrorType': ProtocolError.InternalFailure }, '{}');
      else res.destroy();
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4566, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server,
    router,
    port: addr.port,
    url: `http://${host}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(app: App, router: AwsRouter, extras: FrontEndState, opts: AwsServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const ctx: RequestContext = { app, requestId, region: parseAuthorization(req.headers.authorization)?.region ?? REGION, extras, host: req.headers.host };
  let body: string;
  try {
    body = await readBody(req);
  } catch (err) {
    sendError(res, requestId, toAwsError(err));
    req.destroy();
    return;
  }
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string') {
    for (const h of router.rawHandlers) {
      const out = await h(ctx, req, body);
      if (out) return send(res, requestId, out.status, out.headers ?? {}, out.body);
    }
    return sendError(res, requestId, new AwsError(ProtocolError.UnknownOperation, 'Missing X-Amz-Target header: ecsplane serves AWS JSON 1.1 (ECS) on POST /.'));
  }
  const dot = target.lastIndexOf('.');
  const service = router.jsonService(target.slice(0, dot));
  const operation = target.slice(dot + 1);
  const op = service && Object.prototype.hasOwnProperty.call(service.operations, operation) ? service.operations[operation] : undefined;
  if (!service || !op || req.method !== 'POST') {
    return sendError(res, requestId, new AwsError(ProtocolError.UnknownOperation, `Operation ${target.slice(0, 200)} is not supported by ecsplane.`));
  }
  try {
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      throw new AwsError(ProtocolError.Serialization, 'Request body is not valid JSON.');
    }
    const shapes = service.model.operations[operation];
    checkInput(service.model, shapes.input, input, service.invalidInputType);
    await opts.beforeOperation?.(operation);
    const output = await op(ctx, input ?? {});
    await opts.afterOperation?.(operation);
    send(res, requestId, 200, jsonContentType(service.model), JSON.stringify(shapeOutput(service.model, shapes.output, output)));
  } catch (err) {
    const e = toAwsError(err, NOT_FOUND_TYPE[operation]);
    sendError(res, requestId, e, { ...jsonContentType(service.model), ...queryCompatibleError(service.model, e) });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return reject(tooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8')));
    req.on('error', reject);
  });
}

function tooLarge(): AwsError {
  return new AwsError(ProtocolError.RequestTooLarge, `Request body larger than ${MAX_BODY_BYTES} bytes.`, 413);
}

function sendError(res: ServerResponse, requestId: string, err: AwsError, headers: Record<string, string> = {}): void {
  send(res, requestId, err.status, { ...headers, 'x-amzn-ErrorType': err.type }, JSON.stringify({ __type: err.type, message: err.message }));
}

/**
 * Services that moved from Query to JSON (CloudWatch, `awsQueryCompatible`) also send the Query error code,
 * which clients in query mode (`x-amzn-query-mode: true`, the aws CLI) report as the error's code.
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#aws-protocols-awsquerycompatible-trait
 */
function queryCompatibleError(model: ServiceModel, err: AwsError): Record<string, string> {
  if (!(model.metadata as { awsQueryCompatible?: unknown }).awsQueryCompatible) return {};
  const shape = Object.prototype.hasOwnProperty.call(model.shapes, err.type) ? (model.shapes[err.type] as { error?: { code?: string } }) : undefined;
  return { 'x-amzn-query-error': `${shape?.error?.code ?? err.type};${err.status >= 500 ? 'Receiver' : 'Sender'}` };
}

/** AWS JSON 1.0 services (CloudWatch) reply application/x-amz-json-1.0. */
function jsonContentType(model: { metadata: { jsonVersion?: string } }): Record<string, string> {
  return model.metadata.jsonVersion && model.metadata.jsonVersion !== '1.1' ? { 'content-type': `application/x-amz-json-${model.metadata.jsonVersion}` } : {};
}

function send(res: ServerResponse, requestId: string, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-RequestId': requestId,
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}
