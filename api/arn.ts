/** ARNs in ECS's format for a fixed simulated account and region. */
export let ACCOUNT = process.env.ECSPLANE_ACCOUNT_ID ?? '123456789012';

/** `ecsplane run --account-id`: set once at start-up, before any ARN is built. */
export function setAccountId(id: string): void {
  if (!/^\d{12}$/.test(id)) throw new Error(`--account-id must be 12 digits, got ${JSON.stringify(id.slice(0, 40))}`);
  ACCOUNT = id;
}
export const REGION = process.env.ECSPLANE_REGION ?? 'us-east-1';

const ecs = (rest: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:${rest}`;

export const arn = {
  cluster: (cluster: string) => ecs(`cluster/${cluster}`),
  service: (cluster: string, service: string) => ecs(`service/${cluster}/${service}`),
  serviceDeployment: (cluster: string, service: string, id: string) => ecs(`service-deployment/${cluster}/${service}/${id}`),
  serviceRevision: (cluster: string, service: string, id: string) => ecs(`service-revision/${cluster}/${service}/${id}`),
  task: (cluster: string, id: string) => ecs(`task/${cluster}/${id}`),
  containerInstance: (cluster: string, id: string) => ecs(`container-instance/${cluster}/${id}`),
  taskDefinition: (family: string, revision: number) => ecs(`task-definition/${family}:${revision}`),
  capacityProvider: (name: string) => ecs(`capacity-provider/${name}`),
  targetGroup: (name: string) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/0123456789abcdef`,
  autoScalingGroup: (name: string) =>
    `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/${name}`,
};

/** The last path element of an ARN, or the input when it is already a name. */
export function nameFromArn(ref: string): string {
  if (!ref.startsWith('arn:')) return ref;
  const slash = ref.lastIndexOf('/');
  return slash >= 0 ? ref.slice(slash + 1) : ref.slice(ref.lastIndexOf(':') + 1);
}

/** `family`, `family:3` or a task definition ARN → {family, revision?}. */
export function parseTaskDefinitionRef(ref: string): { family: string; revision?: number } {
  const tail = ref.startsWith('arn:') ? ref.slice(ref.indexOf('task-definition/') + 'task-definition/'.length) : ref;
  const colon = tail.lastIndexOf(':');
  if (colon < 0) return { family: tail };
  return { family: tail.slice(0, colon), revision: Number(tail.slice(colon + 1)) };
}
