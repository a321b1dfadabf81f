/** Spec shapes of the EventBridge kinds (the AWS request JSON; the schemas in schemas/rule.json and schedule.json are the authority). */
import type { CapacityProviderStrategyItem, PlacementConstraint, PlacementStrategy } from './types.js';

/** EcsParameters of an EventBridge target or a Scheduler target (same members; nested ECS fields in ECS casing). */
export interface EventsEcsParameters {
  TaskDefinitionArn: string;
  TaskCount?: number;
  LaunchType?: 'EC2' | 'FARGATE' | 'EXTERNAL';
  CapacityProviderStrategy?: CapacityProviderStrategyItem[];
  NetworkConfiguration?: { awsvpcConfiguration?: { Subnets: string[]; SecurityGroups?: string[]; AssignPublicIp?: 'ENABLED' | 'DISABLED' } };
  PlacementConstraints?: PlacementConstraint[];
  PlacementStrategy?: PlacementStrategy[];
  PlatformVersion?: string;
  Group?: string;
  PropagateTags?: 'TASK_DEFINITION';
  ReferenceId?: string;
  EnableECSManagedTags?: boolean;
  EnableExecuteCommand?: boolean;
  /** EventBridge: `[{Key, Value}]`; Scheduler: `[{key: value}]`. */
  Tags?: Array<Record<string, string>>;
}

export interface EventsRetryPolicy {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
}

/** One PutTargets target (the members ecsplane acts on; the others are kept as written). */
export interface RuleTarget {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  EcsParameters?: EventsEcsParameters;
  RetryPolicy?: EventsRetryPolicy;
  DeadLetterConfig?: { Arn?: string };
  [other: string]: unknown;
}

/** PutRule input plus Targets. */
export interface RuleSpec {
  Name?: string;
  ScheduleExpression?: string;
  /** JSON text, as PutRule takes it. */
  EventPattern?: string;
  State?: 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  Description?: string;
  RoleArn?: string;
  Tags?: Array<{ Key: string; Value: string }>;
  EventBusName?: string;
  Targets?: RuleTarget[];
}

/** CreateSchedule input. */
export interface ScheduleSpec {
  Name?: string;
  GroupName?: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  /** ISO-8601 text (the AWS API front end converts epoch seconds). */
  StartDate?: string;
  EndDate?: string;
  State?: 'ENABLED' | 'DISABLED';
  FlexibleTimeWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  ActionAfterCompletion?: 'NONE' | 'DELETE';
  Description?: string;
  KmsKeyArn?: string;
  ClientToken?: string;
  Target: {
    Arn: string;
    RoleArn: string;
    Input?: string;
    EcsParameters?: EventsEcsParameters;
    RetryPolicy?: EventsRetryPolicy;
    DeadLetterConfig?: { Arn?: string };
    [other: string]: unknown;
  };
}
