import { expect } from 'chai';
import { makeKey, type Resource } from '../../../api/meta.js';
import { ResourceStore } from '../../../store/store.js';
import { usableZones } from '../../../controllers/shared/zones.js';
import { INSTANCE_ANNOTATIONS } from '../../../controllers/shared/instances.js';

const instance = (name: string, az: string): Resource => ({
  apiVersion: 'ecsplane.io/v1alpha1',
  kind: 'ContainerInstance',
  metadata: { name },
  spec: { cluster: 'prod', attributes: [{ name: 'ecs.availability-zone', value: az }] },
});

describe('usableZones: the zones of a cluster kept from the write stream', () => {
  it('keeps its list through status writes and follows spec, annotation and removal changes', () => {
    const store = new ResourceStore();
    store.create(instance('i-1', 'us-east-1a'));
    store.create(instance('i-2', 'us-east-1b'));
    const first = usableZones(store, 'prod');
    expect(first).to.deep.equal(['us-east-1a', 'us-east-1b']);
    // The accounting of a task placed there: the same list object, not a new scan.
    const i1 = store.get('ContainerInstance', makeKey('prod', 'i-1'))!;
    store.updateStatus(i1, { status: { runningTasksCount: 1 } });
    expect(usableZones(store, 'prod')).to.equal(first);
    // Drained: no longer usable.
    const i2 = store.get('ContainerInstance', makeKey('prod', 'i-2'))!;
    store.update({ ...i2, metadata: { ...i2.metadata, annotations: { [INSTANCE_ANNOTATIONS.desiredStatus]: 'DRAINING' } } });
    expect(usableZones(store, 'prod')).to.deep.equal(['us-east-1a']);
    // Moved to another zone (spec), then removed.
    const again = store.get('ContainerInstance', makeKey('prod', 'i-1'))!;
    store.update({ ...again, spec: { ...again.spec, attributes: [{ name: 'ecs.availability-zone', value: 'us-east-1c' }] } });
    expect(usableZones(store, 'prod')).to.deep.equal(['us-east-1c']);
    store.delete('ContainerInstance', makeKey('prod', 'i-1'));
    expect(usableZones(store, 'prod')).to.deep.equal([]);
  });
});
