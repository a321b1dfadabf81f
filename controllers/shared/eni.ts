/**
 * The ENI of an awsvpc task, as DescribeTasks shows it: an `ElasticNetworkInterface` attachment
 * with the subnet, the interface id and the private address. On EC2 it takes one of the
 * instance's network interfaces (placement counts them: RESOURCE:ENI).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html
 */
import type { TaskAttachment, TaskStatus } from '../../api/v1alpha1/status.js';
import type { ResourceStore } from '../../store/store.js';
import { subnetAddresses, subnetForZone } from './subnets.js';

/** A stable private IP for an awsvpc task's ENI (also the target id of `ip` target groups). */
export function taskIp(taskId: string): string {
  return `10.0.${(parseInt(taskId.slice(0, 2), 16) % 250) + 1}.${(parseInt(taskId.slice(2, 4), 16) % 250) + 1}`;
}

/** EC2's answer when a subnet has no address left (EC2 API error codes: InsufficientFreeAddressesInSubnet). */
export function eniFailureReason(subnet: string): string {
  return `Unexpected EC2 error while attempting to Create Network Interface in subnet '${subnet}': InsufficientFreeAddressesInSubnet`;
}

/** The attachment an awsvpc task is created with; the interface is made when the task is placed. */
export function eniAttachment(taskId: string): TaskAttachment {
  const hex = taskId.replace(/[^0-9a-f]/g, '').padEnd(32, '0');
  return { id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`, type: 'ElasticNetworkInterface', status: 'PRECREATED', details: [] };
}

/**
 * Create the task's interface once it is placed: the subnet of its zone, an address from the
 * subnet (a declared subnet may have none left: FAILED), the interface id. Idempotent: only a
 * PRECREATED attachment changes.
 */
export function attachEni(store: ResourceStore, taskId: string, status: TaskStatus, networkConfiguration: any): TaskStatus {
  const i = status.attachments?.findIndex((a) => a.type === 'ElasticNetworkInterface' && a.status === 'PRECREATED') ?? -1;
  if (i < 0) return status;
  const subnet = subnetForZone(store, networkConfiguration, status.availabilityZone);
  const ip = subnet ? subnetAddresses(store).allocate(subnet) : undefined;
  const hex = taskId.replace(/[^0-9a-f]/g, '').padEnd(32, '0');
  const a = status.attachments![i];
  const next: TaskAttachment =
    ip === ''
      ? { ...a, status: 'FAILED', details: [{ name: 'subnetId', value: subnet! }] }
      : {
          ...a,
          status: 'ATTACHED',
          details: [
            ...(subnet ? [{ name: 'subnetId', value: subnet }] : []),
            { name: 'networkInterfaceId', value: `eni-${hex.slice(0, 17)}` },
            { name: 'privateIPv4Address', value: ip ?? taskIp(taskId) },
          ],
        };
  const attachments = [...status.attachments!];
  attachments[i] = next;
  return { ...status, attachments };
}

/** The private address of an awsvpc task's interface (once attached). */
export function privateIpOf(status: TaskStatus | undefined): string | undefined {
  for (const a of status?.attachments ?? []) {
    if (a.type !== 'ElasticNetworkInterface') continue;
    const d = a.details?.find((x) => x.name === 'privateIPv4Address');
    if (d) return d.value;
  }
  return undefined;
}
