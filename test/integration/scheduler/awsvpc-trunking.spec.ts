/** The awsvpcTrunking account setting reaches instances launched after it (examples/scheduler/awsvpc-trunking.yaml). */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { simulate } from '../../../controllers/simulation/runner.js';

const attr = (o: any, name: string): string | undefined => o.spec.attributes?.find((a: any) => a.name === name)?.value;

describe('awsvpcTrunking account setting', () => {
  const docs = () => loadManifests([resolve('examples/scheduler/awsvpc-trunking.yaml')]);

  it('the c5.large launched before the setting holds 2 awsvpc tasks, the one launched after holds 10', () => {
    const r = simulate(docs(), { sampleEveryMs: 30_000 });
    const instances = r.resources.filter((o) => o.kind === 'ContainerInstance');
    expect(instances).to.have.length(2);
    const running = r.resources.filter((o) => o.kind === 'Task' && o.status?.lastStatus === 'RUNNING');
    expect(running).to.have.length(12);
    const perInstance = (id: string) => running.filter((t) => t.status!.containerInstance === id || String(t.status!.containerInstanceArn ?? '').endsWith(`/${id}`)).length;
    const [before, after] = [...instances].sort((a, b) => (attr(a, 'ecs.awsvpc-trunk-id') ? 1 : 0) - (attr(b, 'ecs.awsvpc-trunk-id') ? 1 : 0));
    expect(attr(before, 'ecs.awsvpc-trunk-id')).to.equal(undefined);
    expect(attr(after, 'ecs.awsvpc-trunk-id')).to.match(/^eni-[0-9a-f]{17}$/);
    expect(perInstance(before.metadata.name)).to.equal(2);
    expect(perInstance(after.metadata.name)).to.equal(10);
    const setting = r.resources.find((o) => o.kind === 'AccountSetting')!;
    expect(setting.status).to.include({ name: 'awsvpcTrunking', value: 'enabled', principalArn: 'arn:aws:iam::123456789012:root', type: 'user', observedGeneration: 1 });
    expect(setting.status!.conditions![0]).to.include({ type: 'Ready', status: 'True' });
  });

  it('without the setting the second instance also holds 2: 4 of 12 tasks run', () => {
    const r = simulate(docs().map((d) => (d.kind === 'Scenario' ? { ...d, spec: { ...d.spec, steps: d.spec.steps.slice(1) } } : d)), { sampleEveryMs: 30_000 });
    expect(r.resources.filter((o) => o.kind === 'ContainerInstance').every((i) => attr(i, 'ecs.awsvpc-trunk-id') === undefined)).to.equal(true);
    expect(r.resources.filter((o) => o.kind === 'Task' && o.status?.lastStatus === 'RUNNING')).to.have.length(4);
  });

  it('the command in the example header prints the 10 tasks started on the new instance', function () {
    this.timeout(30_000);
    // node dist/controllers/cli/main.js simulate examples/scheduler/awsvpc-trunking.yaml --output table
    const out = execFileSync('node', ['dist/controllers/cli/main.js', 'simulate', 'examples/scheduler/awsvpc-trunking.yaml', '--output', 'table'], { encoding: 'utf8' });
    expect(out).to.match(/4m01s {2}event {2}Service prod\/api: \(service api\) has started 10 tasks/);
    expect(out).to.match(/prod\/api {3}12 {8}12 {8}0/);
  });
});
