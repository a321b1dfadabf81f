/** The live view of `ecsplane run` shows bus events one line each, and rules/schedules in its table. */
import 'reflect-metadata';
import { expect } from 'chai';
import { createApp } from '../../../controllers/register.js';
import { VirtualClock } from '../../../controllers/runtime/clock.js';
import { LiveView } from '../../../controllers/cli/live-view.js';
import { doc } from '../scaling/helpers.js';

function capture(isTTY: boolean) {
  const lines: string[] = [];
  const out = { isTTY, write: (s: string) => (lines.push(s), true) } as unknown as NodeJS.WriteStream;
  return { out, lines };
}

describe('live view: bus events', () => {
  const start = () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const app = createApp({ clock });
    app.manager.startWatching();
    return app;
  };

  it('plain output: a put event is one concise line; ECS events appear once a rule exists', async () => {
    const app = start();
    const { out, lines } = capture(false);
    // Plain output is written once per event-loop turn: wait a turn, then read it line by line.
    const printed = async (part: string) => {
      await new Promise((r) => setImmediate(r));
      return lines.join('').split('\n').filter((l) => l.includes(part)).map((l) => l + '\n');
    };
    const view = new LiveView(app, out);
    view.start();
    try {
      app.api.apply(doc('Cluster', 'prod', {}));
      app.api.apply(doc('ContainerInstance', 'i-1', { cluster: 'prod', totalResources: [{ name: 'CPU', type: 'INTEGER', integerValue: 1024 }, { name: 'MEMORY', type: 'INTEGER', integerValue: 1024 }] }));
      app.manager.drain();
      expect(await printed(' bus: ')).to.deep.equal([]);
      app.bus.put({ Source: 'aws.s3', DetailType: 'Object Created', Detail: { bucket: { name: 'uploads' }, object: { key: 'a.csv' } } });
      expect(await printed(' bus: ')).to.deep.equal(['2026-01-01T00:00:00.000Z bus: aws.s3 "Object Created" s3://uploads/a.csv\n']);
      app.api.apply(doc('Rule', 'r', { EventPattern: '{"source":["x"]}' }));
      app.api.apply(doc('ContainerInstance', 'i-2', { cluster: 'prod', totalResources: [{ name: 'CPU', type: 'INTEGER', integerValue: 1024 }, { name: 'MEMORY', type: 'INTEGER', integerValue: 1024 }] }));
      app.manager.drain();
      expect(await printed('bus: aws.ecs')).to.deep.equal(['2026-01-01T00:00:00.000Z bus: aws.ecs "ECS Container Instance State Change" i-2 ACTIVE\n']);
    } finally {
      view.stop();
    }
  });

  it('plain output: an ECS event no rule could see is skipped without building it (its detail is a DescribeTasks view)', async () => {
    const app = start();
    const view = new LiveView(app, capture(false).out);
    view.start();
    let built = 0;
    try {
      app.bus.putLazy('aws.ecs', 'ECS Task State Change', () => (built++, { resources: [], detail: {} }));
      await new Promise((r) => setImmediate(r));
      expect(built).to.equal(0);
    } finally {
      view.stop();
    }
  });

  it('the table lists rules and schedules with their invocations', () => {
    const app = start();
    app.api.apply(doc('Rule', 'hourly', { ScheduleExpression: 'rate(1 hour)' }));
    app.manager.drain();
    const view = new LiveView(app, capture(true).out);
    expect(view.render()).to.match(/RULE\/SCHEDULE\s+SCHEDULE\s+INVOCATIONS\s+TASKS\s+FAILURES\s+NEXT\n\s*rule\/hourly\s+rate\(1 hour\)\s+1\s+0\s+0\s+2026-01-01T01:00:00.000Z/);
  });
});
