// The test of deploy.mjs from docs/testing.md: ecsplane in-process on a manual clock.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ECSClient, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { startEcsplane } from 'ecsplane/testing';
import { deploy } from './deploy.mjs';

const fixture = fileURLToPath(new URL('./fixture.yaml', import.meta.url));
// Each poll of the waiter moves ecsplane's clock 15 s (the waiter's real delay); the real delay is 10 ms.
const fastWaiter = { minDelay: 0.01, maxDelay: 0.02, maxWaitTime: 10 };

describe('deploy (examples/testing)', () => {
  let ecsplane;
  let ecs;

  before(async () => {
    ecsplane = await startEcsplane({ advanceOnPoll: '15s' });
    ecs = new ECSClient(ecsplane.clientConfig);
  });

  after(async () => {
    ecs.destroy();
    await ecsplane.stop();
  });

  beforeEach(async () => {
    await ecsplane.reset();
    await ecsplane.apply(fixture);
    await ecsplane.advance('2m'); // revision 1 running and steady
  });

  it('rolls the service to a new revision and waits until it is stable', async () => {
    const arn = await deploy(ecs, { cluster: 'prod', service: 'web', family: 'web', image: 'example/web:2.0', waiter: fastWaiter });

    assert.match(arn, /:task-definition\/web:2$/);
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    assert.equal(services[0].taskDefinition, arn);
    assert.equal(services[0].runningCount, 2);
    assert.deepEqual(services[0].deployments.map((d) => [d.status, d.taskDefinition]), [['PRIMARY', arn]]);
  });

  it('fails with ECS\'s error when the service does not exist', async () => {
    await assert.rejects(deploy(ecs, { cluster: 'prod', service: 'nope', family: 'web', image: 'example/web:2.0', waiter: fastWaiter }), { name: 'ServiceNotFoundException' });
  });
});
