/**
 * The ENI of an awsvpc task, as DescribeTasks shows it: an `ElasticNetworkInterface` attachment
 * with the subnet, the interface id and the private address. On EC2 it takes one of the
 * instance's network interfaces (placement counts them: RESOURCE:ENI).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html
 */
import type { TaskAttachment } from '../../api/v1alpha1/status.js';

/** A stable private IP for an awsvpc task's ENI (also the target id of `ip` target groups). */
export function taskIp(taskId: string): string {
  return `10.0.${(parseInt(taskId.slice(0, 2), 16) % 250) + 1}.${(parseInt(taskId.slice(2, 4), 16) % 250) + 1}`;
}

export function eniAttachment(taskId: string, networkConfiguration: any): TaskAttachment {
  const subnet: string | undefined = networkConfiguration?.awsvpcConfiguration?.subnets?.[0];
  const hex = taskId.replace(/[^0-9a-f]/g, '').padEnd(32, '0');
  return {
    id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`,
    type: 'ElasticNetworkInterface',
    status: 'ATTACHED',
    details: [
      ...(subnet ? [{ name: 'subnetId', value: subnet }] : []),
      { name: 'networkInterfaceId', value: `eni-${hex.slice(0, 17)}` },
      { name: 'privateIPv4Address', value: taskIp(taskId) },
    ],
  };
}
