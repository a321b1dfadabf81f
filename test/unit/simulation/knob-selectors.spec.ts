/** Knobs per container and for a subset of tasks (api/sim.ts), and their admission errors. */
import { expect } from 'chai';
import { simKnobs, simAnnotationErrors, simContainerErrors } from '../../../api/sim.js';

describe('simulation knobs: containers and subsets', () => {
  it('per-container knobs override the task-wide ones for that container', () => {
    const k = simKnobs({ 'sim.ecsplane.io/health': 'healthy', 'sim.ecsplane.io/health.sidecar': 'unhealthy', 'sim.ecsplane.io/exit-after.sidecar': '5m', 'sim.ecsplane.io/exit-code.sidecar': '2' });
    expect(k.health.segments[0].outcome).to.equal('healthy');
    expect(k.containers.sidecar.health!.segments[0].outcome).to.equal('unhealthy');
    expect(k.containers.sidecar.exitAfterMs).to.equal(300_000);
    expect(k.containers.sidecar.exitCode).to.equal(2);
  });

  it('`first N:` applies to the first N tasks launched, the others get the default', () => {
    const a = { 'sim.ecsplane.io/fail-start': 'first 2: CannotPullContainerError: pull access denied' };
    expect(simKnobs(a, { ordinal: 0 }).failStart).to.equal('CannotPullContainerError: pull access denied');
    expect(simKnobs(a, { ordinal: 1 }).failStart).to.equal('CannotPullContainerError: pull access denied');
    expect(simKnobs(a, { ordinal: 2 }).failStart).to.equal(undefined);
    expect(simKnobs(a, {}).failStart).to.equal(undefined);
  });

  it('`P%:` picks a stable seeded fraction of tasks by id', () => {
    const a = { 'sim.ecsplane.io/health': '20%: unhealthy' };
    const ids = Array.from({ length: 2000 }, (_, i) => `t${i.toString(16).padStart(8, '0')}`);
    const picked = ids.filter((id) => simKnobs(a, { id }).health.segments[0].outcome === 'unhealthy');
    expect(picked.length).to.be.within(340, 460); // ~400 of 2000
    expect(ids.filter((id) => simKnobs(a, { id }).health.segments[0].outcome === 'unhealthy')).to.deep.equal(picked); // stable
  });

  it('admission names bad selectors, timelines and unknown containers', () => {
    const errs = (a: Record<string, string>) => simAnnotationErrors('TaskDefinition', a, 'ClientException').map((e) => e.message);
    expect(errs({ 'sim.ecsplane.io/health': '150%: unhealthy' })[0]).to.match(/fraction must be above 0% and at most 100%/);
    expect(errs({ 'sim.ecsplane.io/health': 'healthy for 1m, then sick' })[0]).to.match(/"sick" is not/);
    expect(errs({ 'sim.ecsplane.io/health.web': 'first 1: unhealthy' })).to.deep.equal([]);
    expect(errs({ 'sim.ecsplane.io/start-delay.web': '5s' })[0]).to.match(/Unknown simulation annotation/);
    const spec = { containerDefinitions: [{ name: 'web' }] };
    const c = simContainerErrors('TaskDefinition', { 'sim.ecsplane.io/health.db': 'unhealthy' }, spec, 'ClientException');
    expect(c[0].message).to.match(/names container "db", which is not in containerDefinitions \("web"\)/);
    expect(c[0].field).to.equal('metadata.annotations["sim.ecsplane.io/health.db"]');
  });
});
