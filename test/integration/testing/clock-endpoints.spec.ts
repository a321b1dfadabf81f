/** `/_ecsplane/clock` and `/_ecsplane/reset` on the AWS API port, through startEcsplane's server. */
import { expect } from 'chai';
import * as E from '@aws-sdk/client-ecs';
import { startEcsplane, type Ecsplane } from '../../../controllers/testing/index.js';
import { simulate, SIMULATION_START } from '../../../controllers/simulation/runner.js';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { createApp } from '../../../controllers/register.js';
import { RealClock } from '../../../controllers/runtime/clock.js';
import { defaultRouter, startAwsServer } from '../../../controllers/aws/server.js';
import { ecsplaneEndpoints } from '../../../controllers/aws/ecsplane-endpoints.js';

const QUICKSTART = 'examples/quickstart';

async function call(endpoint: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${endpoint}${path}`, { method, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

describe('ecsplane endpoints: the manual clock', () => {
  let ep: Ecsplane;
  let ecs: E.ECSClient;
  beforeEach(async () => {
    ep = await startEcsplane({ manifests: QUICKSTART, startTime: SIMULATION_START });
    ecs = new E.ECSClient({ ...ep.clientConfig, maxAttempts: 1 });
  });
  afterEach(async () => {
    ecs.destroy();
    await ep.stop();
  });

  const running = async (service: string) => (await ecs.send(new E.DescribeServicesCommand({ cluster: 'prod', services: [service] }))).services![0].runningCount;

  it('GET tells the time; time does not move by itself', async () => {
    const r = await call(ep.endpoint, 'GET', '/_ecsplane/clock');
    expect(r.status).to.equal(200);
    expect(r.json).to.deep.equal({ now: '2026-01-01T00:00:00.000Z', mode: 'manual', timeScale: 0 });
    expect(r.headers.get('x-amzn-requestid')).to.be.a('string');
    expect(await running('web-app')).to.equal(0);
  });

  it('POST {"advance"} moves time and answers once the loops are quiet: the tasks run, as in simulate', async () => {
    const r = await call(ep.endpoint, 'POST', '/_ecsplane/clock', { advance: '2m' });
    expect(r.status).to.equal(200);
    expect(r.json.from).to.equal('2026-01-01T00:00:00.000Z');
    expect(r.json.now).to.equal('2026-01-01T00:02:00.000Z');
    expect(r.json.advancedMs).to.equal(120_000);
    expect(r.json.reconciles).to.be.greaterThan(0);
    expect(await running('web-app')).to.equal(3);
    expect(await running('api')).to.equal(3);
    const sim = simulate(loadManifests([QUICKSTART]), { untilMs: 120_000 });
    const summary = (events: { kind: string; name: string; message: string }[]) => events.filter((e) => e.kind === 'Service').map((e) => `${e.name}: ${e.message.replace(/\(task [0-9a-f-]+\)/g, '(task)')}`);
    const mine = ep.app.events.events.map((e) => ({ ...e, t: (e.t - SIMULATION_START) / 1000 }));
    expect(summary(mine)).to.deep.equal(summary(sim.events));
    expect(summary(sim.events).filter((m) => /steady state/.test(m))).to.have.length(2);
    expect(mine.filter((e) => /steady state/.test(e.message)).map((e) => [e.name, e.t])).to.deep.equal(sim.events.filter((e) => /steady state/.test(e.message)).map((e) => [e.name, e.t]));
  });

  it('POST {"to"} moves to an instant; a number advances by seconds; 0 just drains', async () => {
    let r = await call(ep.endpoint, 'POST', '/_ecsplane/clock', { to: '2026-01-01T01:00:00+01:00' });
    expect(r.json.now).to.equal('2026-01-01T00:00:00.000Z');
    r = await call(ep.endpoint, 'POST', '/_ecsplane/clock', { to: '2026-01-01T00:00:30Z' });
    expect([r.status, r.json.now]).to.deep.equal([200, '2026-01-01T00:00:30.000Z']);
    r = await call(ep.endpoint, 'POST', '/_ecsplane/clock', { advance: 30 });
    expect(r.json.now).to.equal('2026-01-01T00:01:00.000Z');
    await ep.advance('1h30m');
    expect(ep.now().toISOString()).to.equal('2026-01-01T01:31:00.000Z');
  });

  it('refuses bad input with a 400 naming the field, and the clock stays where it was', async () => {
    const bad: [unknown, RegExp][] = [
      [{ to: '2025-12-31T23:59:59Z' }, /in the past.*\(clock\.to\)/],
      [{ to: '2026-01-01T00:05:00' }, /ISO-8601 time with a zone.*\(clock\.to\)/],
      [{ to: 'tomorrow' }, /ISO-8601.*\(clock\.to\)/],
      [{ to: 1767225900000 }, /ISO-8601.*\(clock\.to\)/],
      [{ to: '2026-02-15T00:00:00Z' }, /more than 30d ahead.*\(clock\.to\)/],
      [{ advance: '31d' }, /at most 30d.*\(clock\.advance\)/],
      [{ advance: 1e12 }, /at most 30d.*\(clock\.advance\)/],
      [{ advance: 'soon' }, /cannot parse duration.*\(clock\.advance\)/],
      [{ advance: '-5m' }, /cannot parse duration.*\(clock\.advance\)/],
      [{ advance: { m: 5 } }, /must be a duration.*\(clock\.advance\)/],
      [{ advance: '5m', to: '2026-01-01T00:05:00Z' }, /exactly one of.*\(clock\)/],
      [{}, /exactly one of.*\(clock\)/],
      [{ advance: '5m', by: 1 }, /Unknown parameter "by".*\(clock\.by\)/],
      ['{"advance":', /not valid JSON.*\(clock\)/],
      [[{ advance: '5m' }], /must be a JSON object.*\(clock\)/],
      ['null', /must be a JSON object.*\(clock\)/],
    ];
    for (const [body, message] of bad) {
      const r = await call(ep.endpoint, 'POST', '/_ecsplane/clock', body);
      expect(r.status, JSON.stringify(body)).to.equal(400);
      expect(r.json.__type).to.equal('InvalidParameterException');
      expect(r.headers.get('x-amzn-errortype')).to.equal('InvalidParameterException');
      expect(r.json.message, JSON.stringify(body)).to.match(message);
    }
    expect(ep.now().toISOString()).to.equal('2026-01-01T00:00:00.000Z');
    expect((await call(ep.endpoint, 'PUT', '/_ecsplane/clock', {})).status).to.equal(405);
    expect((await call(ep.endpoint, 'GET', '/_ecsplane/reset')).status).to.equal(405);
    let thrown: unknown;
    await ep.advance('40d').catch((e) => (thrown = e));
    expect(String(thrown)).to.match(/InvalidParameterException: clock\.advance: must be at most 30d/);
  });

  it('POST /_ecsplane/reset empties the store, the events and the account settings; the clock stays', async () => {
    await ep.advance('2m');
    await ecs.send(new E.PutAccountSettingCommand({ name: 'awsvpcTrunking', value: 'enabled' }));
    const r = await call(ep.endpoint, 'POST', '/_ecsplane/reset');
    expect(r.status).to.equal(200);
    expect(r.json.removed).to.be.greaterThan(10);
    expect(r.json.now).to.equal('2026-01-01T00:02:00.000Z');
    expect((await ecs.send(new E.ListClustersCommand({}))).clusterArns).to.deep.equal([]);
    expect(ep.app.store.kinds().reduce((n, k) => n + ep.app.store.count(k), 0)).to.equal(0);
    expect(ep.app.events.events).to.deep.equal([]);
    const settings = await ecs.send(new E.ListAccountSettingsCommand({ name: 'awsvpcTrunking', effectiveSettings: true }));
    expect(settings.settings![0].value).to.equal('disabled');
    // Nothing of the old fixture lingers: the same names start from scratch.
    await ep.apply(QUICKSTART);
    const td = await ecs.send(new E.DescribeTaskDefinitionCommand({ taskDefinition: 'web-app' }));
    expect(td.taskDefinition!.revision).to.equal(1);
    await ep.advance('2m');
    expect(await running('web-app')).to.equal(3);
    expect((await ecs.send(new E.ListTasksCommand({ cluster: 'prod' }))).taskArns).to.have.length(6);
  });

  it('apply() refuses bad input with ECS\'s error naming the object and field; nothing changes', async () => {
    const before = ep.app.store.resourceVersion;
    let thrown: any;
    await ep
      .apply({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Service', metadata: { name: 'bad' }, spec: { cluster: 'prod', taskDefinition: 'web-app', desiredCount: -1 } } as any)
      .catch((e) => (thrown = e));
    expect(thrown?.type).to.equal('InvalidParameterException');
    expect(String(thrown)).to.match(/desiredCount/);
    expect(ep.app.store.resourceVersion).to.equal(before);
  });
});

describe('ecsplane endpoints on a real clock', () => {
  it('GET tells the time and the mode; POST is refused: only a manual clock moves by request', async () => {
    const clock = new RealClock();
    const app = createApp({ clock });
    const server = await startAwsServer(app, { port: 0, router: defaultRouter().addRawHandler(ecsplaneEndpoints({ mode: 'scaled', scale: 60 })) });
    try {
      const got = await call(server.url, 'GET', '/_ecsplane/clock');
      expect(got.json.mode).to.equal('scaled');
      expect(got.json.timeScale).to.equal(60);
      const r = await call(server.url, 'POST', '/_ecsplane/clock', { advance: '5m' });
      expect(r.status).to.equal(400);
      expect(r.json.message).to.match(/--clock manual/);
      expect((await call(server.url, 'POST', '/_ecsplane/nothing-here')).status).to.equal(400); // not ours: the usual missing-target error
    } finally {
      await server.close();
      clock.cancelAll();
    }
  });
});
