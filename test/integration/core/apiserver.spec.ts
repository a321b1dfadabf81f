import { expect } from 'chai';
import { EcsError } from '../../../api/errors.js';
import { cluster, service, taskDefinition, testApp } from '../../helpers/fixtures.js';

function ecsError(fn: () => unknown): EcsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof EcsError) return e;
    throw e;
  }
  throw new Error('expected an EcsError');
}

describe('api server: validation, admission and task definition revisions', () => {
  it('applying a changed task definition registers a new revision; old ones stay describable', () => {
    const app = testApp();
    app.api.apply(taskDefinition('web', { image: 'nginx:1' }));
    expect(app.api.apply(taskDefinition('web', { image: 'nginx:1' })).action).to.equal('unchanged');
    app.api.apply(taskDefinition('web', { image: 'nginx:2' }));
    const td = app.store.get('TaskDefinition', 'web')!;
    expect(td.status.revision).to.equal(2);
    expect(td.status.revisions).to.deep.equal([1, 2]);
    expect(app.store.get('TaskDefinitionRevision', 'web:1')!.spec.containerDefinitions[0].image).to.equal('nginx:1');
    expect(app.store.get('TaskDefinitionRevision', 'web:2')!.status.taskDefinitionArn).to.match(/:task-definition\/web:2$/);
  });

  it('revision numbers are never reused, even after the family is deleted and re-created', () => {
    const app = testApp();
    app.api.apply(taskDefinition('web'));
    app.api.delete('TaskDefinition', 'web');
    expect(app.store.get('TaskDefinitionRevision', 'web:1')!.status.status).to.equal('INACTIVE');
    app.api.apply(taskDefinition('web'));
    expect(app.store.get('TaskDefinition', 'web')!.status.revision).to.equal(2);
  });

  it('a service needs an existing cluster (ClusterNotFoundException) and a describable task definition', () => {
    const app = testApp();
    app.api.apply(taskDefinition('web'));
    const e1 = ecsError(() => app.api.apply(service('svc')));
    expect(e1.type).to.equal('ClusterNotFoundException');
    expect(e1.field).to.equal('spec.cluster');
    app.api.apply(cluster());
    const e2 = ecsError(() => app.api.apply(service('svc', { taskDefinition: 'nope' })));
    expect(e2.type).to.equal('ClientException');
    expect(e2.message).to.contain('Unable to describe task definition.');
    const e3 = ecsError(() => app.api.apply(service('svc', { taskDefinition: 'web:7' })));
    expect(e3.type).to.equal('ClientException');
    expect(app.store.list('Service')).to.have.length(0, 'nothing stored on rejection');
  });

  it('rejections leave the stored object untouched', () => {
    const app = testApp();
    app.api.apply(cluster());
    app.api.apply(taskDefinition('web'));
    app.api.apply(service('svc', { desiredCount: 2 }));
    const before = app.store.get('Service', 'prod/svc');
    const e = ecsError(() => app.api.apply(service('svc', { desiredCount: 2, spec: { launchType: 'EC2', capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] } })));
    expect(e.type).to.equal('InvalidParameterException');
    expect(app.store.get('Service', 'prod/svc')).to.equal(before);
  });

  it('DeleteService requires desiredCount 0 or force', () => {
    const app = testApp();
    app.api.apply(cluster());
    app.api.apply(taskDefinition('web'));
    app.api.apply(service('svc', { desiredCount: 2 }));
    const e = ecsError(() => app.api.delete('Service', 'prod/svc'));
    expect(e.type).to.equal('InvalidParameterException');
    expect(e.message).to.contain('The service cannot be stopped while it is scaled above 0.');
    app.api.delete('Service', 'prod/svc', { force: true });
  });

  it('DeleteCluster refuses while services are active', () => {
    const app = testApp();
    app.api.apply(cluster());
    app.api.apply(taskDefinition('web'));
    app.api.apply(service('svc', { desiredCount: 0 }));
    expect(ecsError(() => app.api.delete('Cluster', 'prod')).type).to.equal('ClusterContainsServicesException');
  });

  it('batches apply in dependency order regardless of file order', () => {
    const app = testApp();
    const results = app.api.applyAll([service('svc'), taskDefinition('web'), cluster()]);
    expect(results.map((r) => r.object.kind)).to.deep.equal(['Cluster', 'TaskDefinition', 'Service']);
  });
});
