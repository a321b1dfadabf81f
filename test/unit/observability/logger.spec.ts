/** Structured logs: text (the historical line) and JSON formats, levels, reconcile ids, secrets redacted. */
import { expect } from 'chai';
import { StderrLogger, REDACTED } from '../../../controllers/runtime/logger.js';
import { ResourceStore } from '../../../store/store.js';
import { VirtualClock } from '../../../controllers/runtime/clock.js';
import { Manager } from '../../../controllers/runtime/manager.js';
import { TerminalError } from '../../../controllers/runtime/controller.js';

const T = Date.parse('2026-12-03T10:00:00.000Z');

function capture(opts: ConstructorParameters<typeof StderrLogger>[0]): { log: StderrLogger; lines: string[] } {
  const log = new StderrLogger(opts);
  const lines: string[] = [];
  log.sink = (l) => lines.push(l);
  return { log, lines };
}

describe('logs: pino behind the Logger port', () => {
  it('text keeps the line ecsplane always wrote: TIME LEVEL message {fields}', () => {
    const { log, lines } = capture({ level: 'info', format: 'text', now: () => T });
    log.info('AWS API listening on http://127.0.0.1:4566');
    log.warn('state file: disk full (retrying)', { path: '/x' });
    log.debug('not shown at info');
    expect(lines).to.deep.equal(['2026-12-03T10:00:00.000Z INFO AWS API listening on http://127.0.0.1:4566', '2026-12-03T10:00:00.000Z WARN state file: disk full (retrying) {"path":"/x"}']);
  });

  it('json writes one object per line with level, time, msg and the fields', () => {
    const { log, lines } = capture({ level: 'debug', format: 'json', now: () => T });
    log.debug('d', { n: 1 });
    log.error('e');
    expect(lines.map((l) => JSON.parse(l))).to.deep.equal([
      { level: 'debug', time: '2026-12-03T10:00:00.000Z', n: 1, msg: 'd' },
      { level: 'error', time: '2026-12-03T10:00:00.000Z', msg: 'e' },
    ]);
  });

  it('never writes a secret: token, password, authorization, ... are redacted at the top level and one object down', () => {
    const { log, lines } = capture({ level: 'info', format: 'json', now: () => T });
    log.info('connect', { token: 'abc123', user: { password: 'p4ss', name: 'admin' }, authorization: 'Bearer xyz', secretAccessKey: 'wJal' });
    const line = lines[0];
    for (const secret of ['abc123', 'p4ss', 'Bearer xyz', 'wJal']) expect(line).to.not.include(secret);
    expect(JSON.parse(line)).to.include({ token: REDACTED, authorization: REDACTED, secretAccessKey: REDACTED });
    expect(JSON.parse(line).user).to.deep.equal({ password: REDACTED, name: 'admin' });
  });

  it('rejects an unknown level or format with a message naming the choices', () => {
    expect(() => new StderrLogger({ level: 'loud' as any })).to.throw(/log level must be one of debug, info, warn, error, silent/);
    expect(() => new StderrLogger({ format: 'xml' as any })).to.throw(/log format must be one of text, json/);
  });

  it('lines logged by a reconcile carry controller, key and one reconcileID per reconcile (controller-runtime)', () => {
    const { log, lines } = capture({ level: 'debug', format: 'json', now: () => T });
    const clock = new VirtualClock(0);
    const store = new ResourceStore({ now: () => clock.now() });
    const manager = new Manager(store, clock, log);
    manager.add({
      name: 'demo',
      forKind: 'Cluster',
      watches: [{ kind: 'Cluster' }],
      reconciler: {
        reconcile: (key) => {
          log.info('looking at it');
          log.info('still at it');
          if (key === 'prod') throw new TerminalError('cannot go on');
        },
      },
    });
    manager.startWatching();
    for (const name of ['dev', 'prod']) store.create({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Cluster', metadata: { name }, spec: {} });
    manager.drain();
    log.info('outside any reconcile');
    const objs = lines.map((l) => JSON.parse(l));
    expect(objs.map((o) => [o.msg, o.controller, o.key])).to.deep.equal([
      ['looking at it', 'demo', 'dev'],
      ['still at it', 'demo', 'dev'],
      ['looking at it', 'demo', 'prod'],
      ['still at it', 'demo', 'prod'],
      ['demo: prod: cannot go on', 'demo', 'prod'],
      ['outside any reconcile', undefined, undefined],
    ]);
    const ids = objs.map((o) => o.reconcileID);
    expect(ids[0]).to.match(/^[0-9a-f-]{36}$/);
    expect(ids[1]).to.equal(ids[0]);
    expect(ids[2]).to.not.equal(ids[0]);
    expect(ids[3]).to.equal(ids[2]);
    expect(ids[4], 'the terminal error line names the reconcile that failed').to.equal(ids[2]);
  });
});
