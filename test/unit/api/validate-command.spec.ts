/** `ecsplane validate` (controllers/cli/validate.ts): a dry run of apply, printed per object. */
import { expect } from 'chai';
import { parseManifests } from '../../../controllers/cli/manifests.js';
import { dryRunApply, verdictLines } from '../../../controllers/cli/validate.js';
import { cluster, service, taskDefinition } from '../../helpers/fixtures.js';

const print = (docs: any[]) => dryRunApply(docs).flatMap(verdictLines);

describe('validate: a dry run of apply', () => {
  it('prints what README shows for bad-td.yaml and bad-service.yaml', () => {
    const badTd = parseManifests(
      'apiVersion: ecsplane.io/v1alpha1\nkind: TaskDefinition\nmetadata: {name: web}\nspec:\n  family: web\n  requiresCompatibilities: [FARGATE]\n  networkMode: awsvpc\n  cpu: "256"\n  memory: "4096"\n  containerDefinitions: [{name: app, image: nginx}]\n',
      'bad-td.yaml',
    );
    expect(print(badTd)).to.deep.equal([
      'taskdefinition/web: ClientException: No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values. (spec.memory)',
    ]);
    const badService = service('web', { spec: { launchType: 'EC2', capacityProviderStrategy: [{ capacityProvider: 'cp', weight: 1 }], foo: 1, deploymentConfiguration: { minimumHealthyPercent: 150 } } });
    expect(print([badService])).to.deep.equal([
      'service/web: InvalidParameterException: Unknown parameter "foo" (spec.foo); must be <= 100 (spec.deploymentConfiguration.minimumHealthyPercent); Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again. (spec.launchType)',
    ]);
  });

  it('checks the files on their own: a reference to something not in them is an error, as applying them to an empty state', () => {
    expect(print([taskDefinition('web'), service('web')])).to.deep.equal(['taskdefinition/web: valid', 'service/web: ClusterNotFoundException: Cluster not found. (spec.cluster)']);
    // In apply's order (the cluster first), whatever the order of the files; printed in the order given.
    expect(print([service('web'), taskDefinition('web'), cluster('prod')])).to.deep.equal(['service/web: valid', 'taskdefinition/web: valid', 'cluster/prod: valid']);
  });

  it('runs admission as apply does: an update that changes what cannot change is refused', () => {
    const daemon = service('web', { spec: { schedulingStrategy: 'DAEMON', desiredCount: undefined } });
    expect(print([cluster('prod'), taskDefinition('web'), service('web'), daemon]).at(-1)).to.equal(
      'service/web: InvalidParameterException: schedulingStrategy cannot be changed after the service is created. (spec.schedulingStrategy)',
    );
  });

  it('prints a NotSimulated warning per field and still says valid', () => {
    const codeDeploy = service('web', { spec: { deploymentController: { type: 'CODE_DEPLOY' } } });
    const lines = print([cluster('prod'), taskDefinition('web'), codeDeploy]);
    expect(lines.slice(2)).to.deep.equal([
      'service/web: valid',
      'service/web: warning: NotSimulated: deploymentController.type CODE_DEPLOY is not simulated by ecsplane; the service is simulated with the ECS deployment controller (ROLLING) (spec.deploymentController.type)',
    ]);
  });

  it('names an object with a huge name by a capped prefix', () => {
    const [line] = print([cluster('x'.repeat(100_000))]);
    expect(line.length).to.be.lessThan(1000);
    expect(line).to.match(/^cluster\/x+…\(100000 bytes\): InvalidParameterException: /);
  });

  it('skips Scenario documents', () => {
    expect(print([{ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Scenario', metadata: { name: 's' }, spec: {} }, cluster('prod')])).to.deep.equal(['cluster/prod: valid']);
  });
});
