/**
 * AutoScalingGroup status: DescribeAutoScalingGroups output fields (PascalCase, as EC2 Auto Scaling
 * returns them) plus the group's scaling activities (DescribeScalingActivities), observedGeneration and
 * conditions. Fields marked "ecsplane" are not in the AWS output.
 */
import type { CommonStatus } from '../../api/v1alpha1/status.js';

export type LifecycleState = 'Pending' | 'InService' | 'Terminating:Wait' | 'Terminating';

export interface AsgInstance {
  InstanceId: string;
  InstanceType: string;
  AvailabilityZone: string;
  LifecycleState: LifecycleState;
  HealthStatus: 'Healthy' | 'Unhealthy';
  ProtectedFromScaleIn: boolean;
  /** ecsplane: EC2 launch time (DescribeInstances has it); warm-up and termination order use it. */
  LaunchTime: string;
  /** ecsplane: the ECS cluster its container instance registers with (fixed when it registers). */
  Cluster: string;
}

/** EC2 Auto Scaling activity status codes ecsplane uses. */
export type AsgActivityStatus = 'InProgress' | 'MidLifecycleAction' | 'Successful' | 'Cancelled';

export interface AsgActivity {
  ActivityId: string;
  AutoScalingGroupName: string;
  Description: string;
  Cause: string;
  StartTime: string;
  EndTime?: string;
  StatusCode: AsgActivityStatus;
  Progress: number;
}

export interface AsgStatus extends CommonStatus {
  AutoScalingGroupARN?: string;
  AutoScalingGroupName?: string;
  MinSize?: number;
  MaxSize?: number;
  /** The effective desired capacity (see docs/scaling.md "Desired capacity"). */
  DesiredCapacity?: number;
  /** ecsplane: where DesiredCapacity came from: `spec` or `managed-scaling:<provider>`. */
  DesiredCapacitySource?: string;
  Instances?: AsgInstance[];
  /** Newest first, at most MAX_ACTIVITIES. */
  Activities?: AsgActivity[];
  /** ecsplane bookkeeping: instances launched so far (seeds deterministic instance ids). */
  launchSeq?: number;
}

/** What the group's loop observed about one of its instances (from the store). */
export interface ObservedInstance {
  /** Its ContainerInstance object exists. */
  registered: boolean;
  /** The EC2 instance's state (annotation sim.ecsplane.io/ec2-state). */
  ec2State: 'running' | 'stopped' | 'terminated';
  /** Tasks not yet STOPPED on it. */
  tasks: number;
  /** Runs a non-daemon task with desiredStatus RUNNING (managed termination protection protects it). */
  busy: boolean;
  /** Service tasks not yet STOPPED: managed draining waits for these (standalone tasks are not drained). */
  serviceTasks: number;
}

export const MAX_ACTIVITIES = 50;
