/**
 * The bench's socket client (test/bench/api-raw-client.ts): it must read every reply the servers send
 * as node:http would — a body split across packets, a chunked body, a server that closes after each
 * reply (moto), an idle kept-alive connection closed by the server — or fail loudly, never hang.
 */
import { expect } from 'chai';
import { createServer, type Server, type Socket } from 'node:net';
import { parseReply, preparedCall, RawClient } from '../../bench/api-raw-client.js';

const call = preparedCall('/', { host: '127.0.0.1', 'x-amz-target': 'Test.Op', 'content-type': 'application/x-amz-json-1.1' }, '{"a":1}');

/** A server that calls `reply(n, socket)` for each complete request (n counts requests) and counts connections. */
async function server(reply: (n: number, socket: Socket) => void): Promise<{ server: Server; endpoint: string; connections: () => number }> {
  let n = 0;
  let connections = 0;
  const s = createServer((socket) => {
    connections++;
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const len = Number(/content-length: (\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + len) return;
        buf = buf.slice(end + 4 + len);
        reply(n++, socket);
      }
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { server: s, endpoint: `http://127.0.0.1:${(s.address() as { port: number }).port}`, connections: () => connections };
}

const json = (body: string, extra = '') => `HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

describe('bench socket client', () => {
  it('writes the request as node:http would: request line, the headers, content-length, the body', () => {
    const text = call.wire.toString();
    expect(text.startsWith('POST / HTTP/1.1\r\nhost: 127.0.0.1\r\n')).to.equal(true);
    expect(text).to.contain('content-length: 7\r\n\r\n{"a":1}');
  });

  it('parses Content-Length and chunked bodies, and waits for the rest of either', () => {
    const whole = Buffer.from(json('{"x":"é"}'));
    expect(parseReply(whole)).to.deep.include({ status: 200, text: '{"x":"é"}', close: false, length: whole.length });
    expect(parseReply(whole.subarray(0, whole.length - 1))).to.equal(undefined);
    const chunked = Buffer.from('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\n{"x"\r\n3\r\n:1}\r\n0\r\n\r\n');
    expect(parseReply(chunked)).to.deep.include({ text: '{"x":1}', length: chunked.length });
    expect(parseReply(chunked.subarray(0, chunked.length - 2))).to.equal(undefined);
    expect(parseReply(Buffer.from('HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n'))).to.deep.include({ close: true, text: '' });
    expect(() => parseReply(Buffer.from('HTTP/1.1 200 OK\r\n\r\n{}'))).to.throw(/without Content-Length/);
    expect(() => parseReply(Buffer.from('SSH-2.0\r\n\r\n'))).to.throw(/not an HTTP/);
  });

  it('reads a reply split across packets and JSON-parses it', async () => {
    const s = await server((_, socket) => {
      const r = json('{"tasks":[1,2,3]}');
      socket.write(r.slice(0, 10));
      setImmediate(() => socket.write(r.slice(10)));
    });
    const c = new RawClient(s.endpoint);
    try {
      expect(await c.send(call)).to.deep.equal({ tasks: [1, 2, 3] });
      expect(await c.send(call)).to.deep.equal({ tasks: [1, 2, 3] });
      expect(s.connections()).to.equal(1); // kept alive
    } finally {
      c.destroy();
      s.server.close();
    }
  });

  it('takes a new connection after a reply with Connection: close (moto)', async () => {
    const s = await server((n, socket) => socket.end(json(`{"n":${n}}`, 'connection: close\r\n')));
    const c = new RawClient(s.endpoint);
    try {
      for (let i = 0; i < 3; i++) expect(await c.send(call)).to.deep.equal({ n: i });
      expect(s.connections()).to.equal(3);
    } finally {
      c.destroy();
      s.server.close();
    }
  });

  it('sends once more when the server closed the kept-alive connection while idle', async () => {
    let sockets: Socket[] = [];
    const s = await server((n, socket) => socket.write(json(`{"n":${n}}`)));
    s.server.on('connection', (so) => sockets.push(so));
    const c = new RawClient(s.endpoint);
    try {
      expect(await c.send(call)).to.deep.equal({ n: 0 });
      // The server drops the idle connection just as the next call is written.
      for (const so of sockets) so.destroy();
      sockets = [];
      expect(await c.send(call)).to.deep.equal({ n: 1 });
    } finally {
      c.destroy();
      s.server.close();
    }
  });

  it('rejects an error status with the operation and the body, and a connection closed before any reply', async () => {
    const s = await server((n, socket) => (n === 0 ? socket.write('HTTP/1.1 400 Bad Request\r\ncontent-length: 21\r\n\r\n{"__type":"ClientEx"}') : socket.destroy()));
    const c = new RawClient(s.endpoint);
    try {
      const err1 = await c.send(call).then(() => undefined, (e: Error) => e);
      expect(err1?.message).to.match(/HTTP 400 Test\.Op: \{"__type":"ClientEx"\}/);
      const err2 = await c.send(call).then(() => undefined, (e: Error) => e);
      expect(err2?.message).to.match(/closed the connection before its reply|ECONNRESET/);
    } finally {
      c.destroy();
      s.server.close();
    }
  });
});
