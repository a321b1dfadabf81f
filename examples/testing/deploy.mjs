// A tiny deploy script: register a new revision with another image, roll the service to it, and
// wait until ECS reports the service stable. It knows nothing of ecsplane: the client decides where it talks.
import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand, waitUntilServicesStable } from '@aws-sdk/client-ecs';

/**
 * @param {import('@aws-sdk/client-ecs').ECSClient} ecs
 * @param {{cluster: string, service: string, family: string, image: string, waiter?: object}} opts
 * @returns {Promise<string>} the new task definition ARN
 */
export async function deploy(ecs, { cluster, service, family, image, waiter = {} }) {
  const { taskDefinition: current } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
  const { taskDefinition: next } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: current.networkMode,
      requiresCompatibilities: current.requiresCompatibilities,
      cpu: current.cpu,
      memory: current.memory,
      containerDefinitions: current.containerDefinitions.map((c) => ({ ...c, image })),
    }),
  );
  await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: next.taskDefinitionArn }));
  await waitUntilServicesStable({ client: ecs, minDelay: 15, maxWaitTime: 900, ...waiter }, { cluster, services: [service] });
  return next.taskDefinitionArn;
}
