/**
 * The light client of the side-by-side API figures. The @aws-sdk client costs ~1 ms of CPU per call
 * (middleware, SigV4, serialising and parsing) on the same 2 cores as the servers, about as much as
 * ecsplane's own work, so a ratio measured through it is bounded by the client, not the server
 * (docs/benchmarks.md). Here the SDK builds and signs every request before the phase is timed
 * (`recordRequests`: the exact headers and body it would send), and the timed phase replays them over
 * one keep-alive node:http connection per client, reading and JSON-parsing each reply.
 */
import { Agent, request } from 'node:http';
import { Readable } from 'node:stream';
import * as E from '@aws-sdk/client-ecs';

export interface PreparedCall {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Any @aws-sdk/client-ecs command (the SDK's own union type does not accept them all as one). */
export type EcsCommand = { readonly input: object };

/** The signed HTTP requests the SDK would send for these commands to `endpoint`, none of them sent. */
export async function recordRequests(endpoint: string, commands: EcsCommand[]): Promise<PreparedCall[]> {
  let last: PreparedCall | undefined;
  const recorder = {
    async handle(req: { path: string; query?: Record<string, unknown>; headers: Record<string, string>; body?: unknown }) {
      last = { path: req.path || '/', headers: { ...req.headers }, body: bodyText(req.body) };
      // A reply every ECS output deserialises from; the recorder never reaches a server.
      return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: Readable.from([Buffer.from('{}')]) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  const sdk = new E.ECSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: recorder as never,
  });
  try {
    const out: PreparedCall[] = [];
    for (const c of commands) {
      last = undefined;
      await sdk.send(c as never);
      if (!last) throw new Error('the SDK sent no request');
      out.push(last);
    }
    return out;
  } finally {
    sdk.destroy();
  }
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (body === undefined || body === null) return '';
  throw new Error(`unexpected request body: ${typeof body}`);
}

/** One client: one keep-alive connection, calls one after another. */
export class RawClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly host: string;
  private readonly port: number;

  constructor(endpoint: string) {
    const u = new URL(endpoint);
    this.host = u.hostname;
    this.port = Number(u.port);
  }

  /**
   * The parsed JSON reply; an HTTP error status rejects, as the SDK's send would. A kept-alive
   * connection the server closed while idle (its keep-alive timeout, 5 s, can pass while the next
   * phase is prepared on a busy machine) is retried once on a new one, as the SDK's handler does.
   */
  send(call: PreparedCall, retried = false): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const req = request({ host: this.host, port: this.port, method: 'POST', path: call.path, headers: call.headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode} ${call.headers['x-amz-target'] ?? ''}: ${text.slice(0, 200)}`));
          try {
            resolve(text ? JSON.parse(text) : {});
          } catch (err) {
            reject(err);
          }
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (!retried && req.reusedSocket && err.code === 'ECONNRESET') resolve(this.send(call, true));
        else reject(err);
      });
      req.end(call.body);
    });
  }

  destroy(): void {
    this.agent.destroy();
  }
}
