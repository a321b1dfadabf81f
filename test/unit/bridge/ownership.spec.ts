/**
 * Objects a Kubernetes custom resource owns are changed there: a CLI apply or delete (control socket or
 * direct --state, both through handleRequest) is refused with a message saying so; the bridge's own writes pass.
 * Also: the loops' progress the stale marker waits for, and the health endpoint's default address.
 */
import 'reflect-metadata';
import { expect } from 'chai';
import { EcsError } from '../../../api/errors.js';
import { FIELD_MANAGER, SOURCE_ANNOTATION } from '../../../controllers/bridge/constants.js';
import { healthAddress } from '../../../controllers/bridge/index.js';
import { loopProgress } from '../../../controllers/bridge/progress.js';
import { handleRequest } from '../../../controllers/cli/control.js';
import { KUBERNETES_BRIDGE } from '../../../store/apiserver.js';
import { cluster, runFor, service, taskDefinition, testApp } from '../../helpers/fixtures.js';

const owned = <T extends { metadata: any }>(o: T, source = 'demo/web'): T => ({ ...o, metadata: { ...o.metadata, annotations: { [SOURCE_ANNOTATION]: source } } });

describe('bridge ownership and health', () => {
  it('the store names the bridge as the bridge names itself', () => {
    expect(KUBERNETES_BRIDGE).to.equal(FIELD_MANAGER);
  });

  describe('a CLI apply of an object a custom resource owns', () => {
    function setup() {
      const app = testApp();
      app.api.applyAll([cluster('prod'), taskDefinition('web')]);
      app.api.apply(owned(service('web', { desiredCount: 2 })), { manager: FIELD_MANAGER });
      return app;
    }

    it('is refused, naming the custom resource and kubectl; nothing changes', async () => {
      const app = setup();
      const before = app.store.get('Service', 'prod/web');
      const out = (await handleRequest(app, { op: 'apply', resources: [service('web', { desiredCount: 5 })] })) as any[];
      expect(out).to.deep.equal([
        {
          kind: 'Service',
          name: 'web',
          error: { type: 'ClientException', message: 'service/web is managed by the Kubernetes custom resource demo/web (ecsplane.io); change it with kubectl' },
        },
      ]);
      expect(app.store.get('Service', 'prod/web')).to.equal(before);
    });

    it('is refused without a writer name too (manifests of `run -f`); the bridge may change it', () => {
      const app = setup();
      expect(() => app.api.apply(service('web', { desiredCount: 5 })))
        .to.throw(EcsError, 'ClientException: service/web is managed by the Kubernetes custom resource demo/web (ecsplane.io); change it with kubectl');
      const r = app.api.apply(owned(service('web', { desiredCount: 3 })), { manager: FIELD_MANAGER });
      expect(r.action).to.equal('configured');
    });

    it('a CLI delete of it is refused too; the bridge deletes it when its custom resource is gone', async () => {
      const app = setup();
      app.api.apply(owned(service('web', { desiredCount: 0 })), { manager: FIELD_MANAGER });
      const err: any = await handleRequest(app, { op: 'delete', kind: 'Service', key: 'prod/web', force: true }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(EcsError);
      expect(err.message).to.equal('ClientException: service/web is managed by the Kubernetes custom resource demo/web (ecsplane.io); delete it with kubectl');
      expect(app.store.get('Service', 'prod/web')?.metadata.deletionTimestamp).to.equal(undefined);
      app.api.delete('Service', 'prod/web', { force: true, manager: FIELD_MANAGER });
    });

    it('other objects still apply from the CLI, and the bridge annotations cannot be set from it', async () => {
      const app = setup();
      const out = (await handleRequest(app, { op: 'apply', resources: [service('api', { desiredCount: 1 }), owned(service('db'), 'demo/db')] })) as any[];
      expect(out[0]).to.deep.equal({ kind: 'Service', name: 'api', action: 'created' });
      expect(out[1].error).to.deep.equal({
        type: 'InvalidParameterException',
        message: 'annotations under bridge.ecsplane.io/ are set by the Kubernetes bridge only (metadata.annotations["bridge.ecsplane.io/source"])',
      });
      expect(app.store.get('Service', 'prod/db')).to.equal(undefined);
    });
  });

  describe('loop progress (what the stale marker waits for)', () => {
    it('a kind is caught up once its controllers have worked off the queue their start filled', () => {
      const app = testApp(); // watching: queues fill, nothing processed yet
      const progress = loopProgress(app.manager, app.store);
      expect(progress.caughtUp('Service')).to.equal(true); // nothing of the kind to re-observe
      app.api.applyAll([cluster('prod'), taskDefinition('web'), service('web')]);
      const fresh = loopProgress(app.manager, app.store);
      expect(fresh.caughtUp('Service')).to.equal(false);
      expect(fresh.caughtUp('TaskDefinition')).to.equal(true); // no controller reconciles it
      runFor(app, 1000);
      expect(fresh.caughtUp('Service')).to.equal(true);
      app.api.apply(service('web', { desiredCount: 3 }));
      expect(fresh.caughtUp('Service')).to.equal(true); // stays so: later work is not staleness
    });
  });

  describe('health endpoint address', () => {
    it('binds loopback unless ECSPLANE_HEALTH_ADDR (or the caller) says otherwise', () => {
      expect(healthAddress(undefined, {})).to.equal('127.0.0.1');
      expect(healthAddress(undefined, { ECSPLANE_HEALTH_ADDR: '' })).to.equal('127.0.0.1');
      expect(healthAddress(undefined, { ECSPLANE_HEALTH_ADDR: '0.0.0.0' })).to.equal('0.0.0.0');
      expect(healthAddress('::1', { ECSPLANE_HEALTH_ADDR: '0.0.0.0' })).to.equal('::1');
    });
  });
});
