/**
 * CapacityProvider status: DescribeCapacityProviders output fields (camelCase, as ECS returns them) plus
 * the managed-scaling state (the CapacityProviderReservation datapoints, M, N and the desired capacity it
 * asks of the Auto Scaling group) and its scaling activities. Fields marked "ecsplane" are not ECS output.
 */
import type { CommonStatus } from '../../api/v1alpha1/status.js';
import type { ManagedScalingReason } from '../scaling-math/index.js';
import type { Datapoint } from '../autoscaling/periods.js';

export interface ManagedScalingStatus {
  /** CapacityProviderReservation (AWS/ECS/ManagedScaling) at the latest datapoint. */
  metric: number;
  /** Instances needed for the provider's tasks (binpacked), and running instances (ecs-semantics §6). */
  M: number;
  N: number;
  /** ecsplane: the desired capacity managed scaling sets on the Auto Scaling group. */
  desiredCapacity: number;
  /** ecsplane: the group's spec.DesiredCapacity this decision was made against (a user change wins). */
  basedOnSpecDesiredCapacity: number;
  reason: ManagedScalingReason;
  /** PROVISIONING tasks that fit no instance of the group's type (they do not raise M). */
  excludedTasks: number;
  /** One-minute datapoints of the metric, oldest first (the last 15: the scale-in alarm's window). */
  datapoints: Datapoint[];
}

export type CapacityActivityStatus = 'InProgress' | 'Successful' | 'Overridden';

/** ecsplane: a managed-scaling change of the group's desired capacity. */
export interface CapacityActivity {
  ActivityId: string;
  Description: string;
  Cause: string;
  StatusCode: CapacityActivityStatus;
  StartTime: string;
  EndTime?: string;
  DesiredCapacity: number;
}

export interface CapacityProviderStatus extends CommonStatus {
  capacityProviderArn?: string;
  name?: string;
  type?: 'EC2_AUTOSCALING';
  status?: 'ACTIVE' | 'INACTIVE';
  updateStatus?: 'CREATE_COMPLETE' | 'UPDATE_COMPLETE';
  /** ecsplane: the cluster it is associated with. */
  cluster?: string;
  /** ecsplane: the Auto Scaling group it drives. */
  autoScalingGroupName?: string;
  managedScaling?: ManagedScalingStatus;
  /** ecsplane: newest first, at most 50. */
  activities?: CapacityActivity[];
  activitySeq?: number;
}
