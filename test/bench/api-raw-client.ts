/**
 * The clients of the side-by-side API figures, the same for every server. The @aws-sdk client costs
 * ~1 ms of CPU per call (middleware, SigV4, serialising and parsing) on the same 2 cores as the
 * servers, about as much as ecsplane's own work, so a ratio measured through it is bounded by the
 * client, not the server (docs/benchmarks.md). Here the SDK builds and signs every request before the
 * phase is timed (`recordRequests`: the exact bytes it would send), and the timed phase replays them:
 * - `RawClient` (the main figures) writes each request's bytes to one TCP connection per client and
 *   reads the reply itself (status line, headers, a Content-Length or chunked body), JSON-parsing it;
 * - `NodeHttpClient` (secondary figures) sends them through node:http over a keep-alive agent, whose
 *   per-request objects and stream events cost the client ~0.06 ms of CPU a call more, on the core the
 *   server shares (docs/benchmarks.md, "Sixth pass").
 * Both read every reply in full, reject an HTTP error status as the SDK would, take a new connection
 * when the server closes one after its reply (moto sends `Connection: close`), and send a call once
 * more on a new connection when a kept-alive one was closed by the server while idle.
 */
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import * as E from '@aws-sdk/client-ecs';

export interface PreparedCall {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The whole HTTP/1.1 request as the SDK's node:http handler would write it. */
  wire: Buffer;
}

/** Any @aws-sdk/client-ecs command (the SDK's own union type does not accept them all as one). */
export type EcsCommand = { readonly input: object };

/** The signed HTTP requests the SDK would send for these commands to `endpoint`, none of them sent. */
export async function recordRequests(endpoint: string, commands: EcsCommand[]): Promise<PreparedCall[]> {
  let last: PreparedCall | undefined;
  const recorder = {
    async handle(req: { path: string; query?: Record<string, unknown>; headers: Record<string, string>; body?: unknown }) {
      last = preparedCall(req.path || '/', { ...req.headers }, bodyText(req.body));
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

/** A call with its wire form (the SDK's headers include host and content-length). */
export function preparedCall(path: string, headers: Record<string, string>, body: string): PreparedCall {
  let head = `POST ${path} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-length')) head += `content-length: ${Buffer.byteLength(body)}\r\n`;
  return { path, headers, body, wire: Buffer.from(`${head}\r\n${body}`) };
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (body === undefined || body === null) return '';
  throw new Error(`unexpected request body: ${typeof body}`);
}

/** The parsed JSON of a 200 reply; any other status is an error naming the operation, as the SDK's send rejects. */
function replyValue(status: number, text: string, call: PreparedCall): unknown {
  if (status !== 200) throw new Error(`HTTP ${status} ${call.headers['x-amz-target'] ?? ''}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : {};
}

/** A complete reply at the start of `buf`: its status, body text, whether the server closes, and its length. */
export interface ParsedReply {
  status: number;
  text: string;
  close: boolean;
  length: number;
}

/** The first reply in `buf`, or undefined while it is incomplete. Throws on a reply this client cannot read. */
export function parseReply(buf: Buffer): ParsedReply | undefined {
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const head = buf.toString('latin1', 0, headEnd);
  const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (!statusLine) throw new Error(`not an HTTP/1.x reply: ${JSON.stringify(head.slice(0, 40))}`);
  const status = Number(statusLine[1]);
  const close = /\r\nconnection:[ \t]*close/i.test(head) || head.startsWith('HTTP/1.0');
  let at = headEnd + 4;
  const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
  if (length) {
    const end = at + Number(length[1]);
    return end > buf.length ? undefined : { status, text: buf.toString('utf8', at, end), close, length: end };
  }
  if (/\r\ntransfer-encoding:[ \t]*chunked/i.test(head)) {
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
      if (!Number.isFinite(size)) throw new Error('bad chunk size in a chunked reply');
      if (size === 0) {
        // The last chunk's line ends the body with an empty line, after any trailer lines.
        const end = buf.indexOf('\r\n\r\n', lineEnd);
        return end < 0 ? undefined : { status, text: Buffer.concat(parts).toString('utf8'), close, length: end + 4 };
      }
      if (lineEnd + 2 + size + 2 > buf.length) return undefined;
      parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return { status, text: '', close, length: at };
  throw new Error(`HTTP ${status} reply without Content-Length or chunked body`);
}

interface Pending {
  call: PreparedCall;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  retried: boolean;
}

const EMPTY = Buffer.alloc(0);

/** The main figures' client: one TCP connection, one call at a time, replies read off the socket. */
export class RawClient {
  private readonly host: string;
  private readonly port: number;
  private socket: Socket | undefined;
  /** The current connection has carried a reply (a close with nothing read may be its idle timeout). */
  private reused = false;
  private buf: Buffer = EMPTY;
  private pending: Pending | undefined;

  constructor(endpoint: string) {
    const u = new URL(endpoint);
    this.host = u.hostname;
    this.port = Number(u.port);
  }

  send(call: PreparedCall): Promise<unknown> {
    if (this.pending) return Promise.reject(new Error('RawClient: one call at a time'));
    return new Promise((resolve, reject) => {
      this.pending = { call, resolve, reject, retried: false };
      this.write();
    });
  }

  destroy(): void {
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
  }

  private write(): void {
    (this.socket ?? this.connect()).write(this.pending!.call.wire);
  }

  private connect(): Socket {
    const s = connect({ host: this.host, port: this.port, noDelay: true });
    this.socket = s;
    this.reused = false;
    this.buf = EMPTY;
    s.on('data', (d: Buffer) => {
      if (s !== this.socket) return;
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.read();
    });
    s.on('error', (err) => this.lost(s, err));
    s.on('close', () => this.lost(s, new Error('the server closed the connection before its reply')));
    return s;
  }

  private read(): void {
    const p = this.pending;
    if (!p) return;
    let value: unknown;
    try {
      const reply = parseReply(this.buf);
      if (!reply) return;
      this.buf = reply.length === this.buf.length ? EMPTY : this.buf.subarray(reply.length);
      this.reused = true;
      if (reply.close) this.destroy();
      this.pending = undefined;
      value = replyValue(reply.status, reply.text, p.call);
    } catch (err) {
      if (this.pending === p) this.destroy(); // a reply this client cannot read: the connection is unusable
      this.pending = undefined;
      return p.reject(err as Error);
    }
    p.resolve(value);
  }

  private lost(s: Socket, err: Error): void {
    if (s !== this.socket) return;
    this.socket = undefined;
    const p = this.pending;
    if (!p) return;
    // A kept-alive connection the server closed while idle (its keep-alive timeout, 5 s, can pass
    // while the next phase is prepared on a busy machine): once more on a new one, as node:http's agent does.
    if (this.reused && this.buf.length === 0 && !p.retried) {
      p.retried = true;
      this.write();
      return;
    }
    this.pending = undefined;
    p.reject(err);
  }
}

/** The secondary figures' client: the same requests through node:http, one keep-alive connection. */
export class NodeHttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly host: string;
  private readonly port: number;

  constructor(endpoint: string) {
    const u = new URL(endpoint);
    this.host = u.hostname;
    this.port = Number(u.port);
  }

  send(call: PreparedCall, retried = false): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const req = request({ host: this.host, port: this.port, method: 'POST', path: call.path, headers: call.headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          try {
            resolve(replyValue(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), call));
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
