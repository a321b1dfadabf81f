/**
 * AWS Query services on the AWS port (EC2 Auto Scaling, ELBv2, CloudWatch): form-encoded POST
 * `Action=<Op>&Version=<date>&…`, XML replies. Both Auto Scaling and ELBv2 have `Action` names the
 * other has too (DescribeTags, …), so the SigV4 signing name in the credential scope picks the service;
 * an unsigned request is routed by its `Version`.
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */
import type { IncomingMessage } from 'node:http';
import { AwsError, toAwsError } from '../errors.js';
import type { RawHandler, RawResponse, RequestContext } from '../router.js';
import { checkInput } from '../shapes.js';
import { parseAuthorization } from '../sigv4.js';
import { readInput } from './form.js';
import type { QueryServiceModel } from './model.js';
import { xmlError, xmlResponse } from './xml.js';

export type QueryOperation = (ctx: RequestContext, input: any) => unknown;

export interface QueryService {
  model: QueryServiceModel;
  /** The SigV4 service name clients sign with (`autoscaling`, `elasticloadbalancing`, `monitoring`). */
  signingName: string;
  operations: Record<string, QueryOperation>;
  /** The error code for input outside the model (`ValidationError`, `InvalidParameterValue`). */
  invalidInputType: string;
}

const XML = { 'content-type': 'text/xml' };

/** The wire code of an exception: the model's `error.code` for its shape name (AlreadyExistsFault → AlreadyExists). */
export function wireCode(model: QueryServiceModel, type: string): string {
  const shape = Object.prototype.hasOwnProperty.call(model.shapes, type) ? model.shapes[type] : undefined;
  return shape?.error?.code ?? type;
}

function formOf(req: IncomingMessage, body: string): URLSearchParams | undefined {
  if (req.method === 'GET') return new URL(req.url ?? '/', 'http://localhost').searchParams;
  if (req.method !== 'POST') return undefined;
  const type = String(req.headers['content-type'] ?? '');
  return type.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(body) : undefined;
}

export function queryHandler(services: QueryService[]): RawHandler {
  return async (ctx, req, body) => {
    const params = formOf(req, body);
    const action = params?.get('Action');
    if (!params || !action) return undefined;
    const signing = parseAuthorization(req.headers.authorization)?.service;
    const version = params.get('Version') ?? '';
    const service = services.find((s) => (signing ? s.signingName === signing : s.model.metadata.apiVersion === version));
    const fail = (model: QueryServiceModel | undefined, err: AwsError): RawResponse => ({
      status: err.status,
      headers: XML,
      body: xmlError(model, model ? wireCode(model, err.type) : err.type, err.message, err.status, ctx.requestId),
    });
    if (!service) return fail(undefined, new AwsError('InvalidAction', `ecsplane does not serve the Query API of ${(signing ?? version).slice(0, 64)}.`));
    const { model } = service;
    const own = Object.prototype.hasOwnProperty.call(service.operations, action) && Object.prototype.hasOwnProperty.call(model.operations, action);
    if (!own || version !== model.metadata.apiVersion) {
      return fail(model, new AwsError('InvalidAction', `Could not find operation ${action.slice(0, 64)} for version ${version.slice(0, 32)}`));
    }
    try {
      const shapes = model.operations[action];
      const input = readInput(model, shapes.input, params, service.invalidInputType);
      checkInput(model, shapes.input, input, service.invalidInputType);
      const output = await service.operations[action](ctx, input);
      return { status: 200, headers: XML, body: xmlResponse(model, action, output, ctx.requestId) };
    } catch (err) {
      return fail(model, toAwsError(err));
    }
  };
}
