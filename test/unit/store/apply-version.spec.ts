import { expect } from 'chai';
import { ConflictError } from '../../../store/errors.js';
import { cluster, instance, service, taskDefinition, testApp } from '../../helpers/fixtures.js';

describe('store: apply honours metadata.resourceVersion in the manifest', () => {
  function setup() {
    const app = testApp();
    for (const o of [cluster(), instance('i-1'), taskDefinition('web'), service('web', { desiredCount: 2 })]) app.api.apply(o);
    return app;
  }
  const withVersion = (rv: unknown, desiredCount = 3) => {
    const svc = service('web', { desiredCount });
    return { ...svc, metadata: { ...svc.metadata, resourceVersion: rv as string } };
  };

  it('a stale resourceVersion is a Conflict naming both versions, and nothing changes', () => {
    const app = setup();
    const stored = app.store.get('Service', 'prod/web')!;
    app.api.apply(service('web', { desiredCount: 4 })); // someone else's change in between
    const now = app.store.get('Service', 'prod/web')!.metadata.resourceVersion;
    expect(() => app.api.apply(withVersion(stored.metadata.resourceVersion)))
      .to.throw(ConflictError, `the object has been modified; manifest resourceVersion ${stored.metadata.resourceVersion}, stored ${now}`)
      .with.property('name', 'Conflict');
    expect(app.store.get('Service', 'prod/web')!.spec.desiredCount).to.equal(4);
  });

  it('the current resourceVersion applies; it is checked, not stored', () => {
    const app = setup();
    const rv = app.store.get('Service', 'prod/web')!.metadata.resourceVersion!;
    const r = app.api.apply(withVersion(rv));
    expect(r.action).to.equal('configured');
    expect(r.object.spec.desiredCount).to.equal(3);
    expect(r.object.metadata.resourceVersion).to.not.equal(rv, 'the store assigns the new version');
    // YAML `resourceVersion: 12` arrives as a number.
    expect(app.api.apply(withVersion(Number(r.object.metadata.resourceVersion), 5)).action).to.equal('configured');
  });

  it('a manifest without resourceVersion is applied as before (last writer wins)', () => {
    const app = setup();
    expect(app.api.apply(service('web', { desiredCount: 3 })).action).to.equal('configured');
  });

  it('a resourceVersion for an object that does not exist is a Conflict', () => {
    const app = setup();
    const svc = { ...service('api'), metadata: { name: 'api', resourceVersion: '7' } };
    expect(() => app.api.apply(svc)).to.throw(ConflictError, /does not exist.*manifest resourceVersion 7/);
    expect(app.store.get('Service', 'prod/api')).to.equal(undefined);
  });
});
