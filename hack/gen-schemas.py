#!/usr/bin/env python3
"""Generate the spec schemas of every ecsplane kind from botocore's service models.

    pip install botocore==1.43.11
    python3 hack/gen-schemas.py            # writes api/v1alpha1/schemas/*.json
    python3 hack/gen-schemas.py --check    # exits 1 if the committed files are stale
    python3 hack/gen-schemas.py --examples # also refresh test/unit/api/fixtures/botocore-examples.json

A kind's `spec` is an AWS API *request* shape, so its schema is that shape translated into a STRUCTURAL
Kubernetes OpenAPI v3 schema: fully inlined (no $ref), a `type` on every node, enums, the min/max botocore
gives, and botocore's whole `description` (HTML turned into plain text: paragraphs and list items kept, so
`kubectl explain` shows what the AWS API reference says). The same schema drives ajv (api/validate.ts adds
`additionalProperties: false` at load time, which CRDs forbid) and the CRDs.

It also writes api/v1alpha1/schemas/status.json: each kind's `status` schema, from the AWS *output* shape
that Describe* returns for it (DescribeServices' Service, DescribeTasks' Task, ...), with the same whole
descriptions but no constraints (enums, ranges, required: ecsplane writes status, the apiserver must
never refuse it), plus the fields ecsplane adds (STATUS_EXTRAS). Only shapes the model leaves open
(documents, recursion) get `x-kubernetes-preserve-unknown-fields`. Things this file deliberately does NOT emit:
  - `default`: the apiserver would write defaults into spec; ecsplane keeps spec as the user wrote it and
    applies defaults to a view (`withDefaults`).
  - botocore patterns that are not portable (\\uXXXX escapes, look-arounds, \\p{Print}): Go's RE2 (the
    apiserver) or JavaScript (ajv) rejects them, and the XML-string ones match everything anyway.
ecsplane-only fields and plain ranges from ecs-semantics.md are added below (EXTRAS, OVERRIDES).
"""
import argparse
import gzip
import html
import json
import os
import re
import sys

import botocore

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, 'api', 'v1alpha1', 'schemas')
DATA = os.path.join(os.path.dirname(botocore.__file__), 'data')
MAX_DESCRIPTION = 160  # the operation sentence of a kind's top-level description
# The botocore whose models ecs-semantics.md cites; another version changes the schemas, so it is opt-in.
BOTOCORE_VERSION = '1.43.11'

SERVICES = {
    'ecs': 'ecs/2014-11-13',
    'aas': 'application-autoscaling/2016-02-06',
    'asg': 'autoscaling/2011-01-01',
    'elbv2': 'elbv2/2015-12-01',
    'ec2': 'ec2/2016-11-15',
    'sqs': 'sqs/2012-11-05',
    'cloudwatch': 'cloudwatch/2010-08-01',
    'events': 'events/2015-10-07',
    'scheduler': 'scheduler/2021-06-30',
}

# kind -> (service, request shape, name field inside spec: made optional since metadata.name carries it)
KINDS = {
    'Cluster': ('ecs', 'CreateClusterRequest', 'clusterName'),
    'TaskDefinition': ('ecs', 'RegisterTaskDefinitionRequest', 'family'),
    'Service': ('ecs', 'CreateServiceRequest', 'serviceName'),
    'Task': ('ecs', 'RunTaskRequest', None),
    'ContainerInstance': ('ecs', 'RegisterContainerInstanceRequest', None),
    'CapacityProvider': ('ecs', 'CreateCapacityProviderRequest', 'name'),
    'AutoScalingGroup': ('asg', 'CreateAutoScalingGroupType', 'AutoScalingGroupName'),
    'ScalableTarget': ('aas', 'RegisterScalableTargetRequest', None),
    'ScalingPolicy': ('aas', 'PutScalingPolicyRequest', 'PolicyName'),
    'ScheduledAction': ('aas', 'PutScheduledActionRequest', 'ScheduledActionName'),
    'TargetGroup': ('elbv2', 'CreateTargetGroupInput', 'Name'),
    'Subnet': ('ec2', 'CreateSubnetRequest', None),
    'AccountSetting': ('ecs', 'PutAccountSettingDefaultRequest', 'name'),
    'Queue': ('sqs', 'CreateQueueRequest', 'QueueName'),
    'MetricAlarm': ('cloudwatch', 'PutMetricAlarmInput', 'AlarmName'),
    'Rule': ('events', 'PutRuleRequest', 'Name'),
    'Schedule': ('scheduler', 'CreateScheduleInput', 'Name'),
}

# Members of another request shape merged into a kind's spec: a Rule carries its targets as PutTargets does.
MERGED_MEMBERS = {
    'Rule': {'Targets': ('events', 'PutTargetsRequest')},
}

# ecsplane-only top-level fields.
EXTRAS = {
    'Service': {
        'forceNewDeployment': {
            'type': 'boolean',
            'description': 'From UpdateService: start a new deployment even when nothing else changed.',
        },
    },
    'AutoScalingGroup': {
        'InstanceType': {
            'type': 'string',
            'minLength': 1,
            'maxLength': 255,
            'description': 'ecsplane: the EC2 instance type to launch (stands in for a launch template); default m5.large.',
        },
    },
    'TargetGroup': {
        'DeregistrationDelay': {
            'type': 'integer',
            'minimum': 0,
            'maximum': 3600,
            'description': 'ecsplane: deregistration_delay.timeout_seconds attribute, in seconds; default 300.',
        },
    },
}

_CP_STRATEGY = {'maxItems': 20}
_PLACEMENT = {
    'placementConstraints': {'maxItems': 10},
    'placementConstraints[].expression': {'maxLength': 2000},
    'placementStrategy': {'maxItems': 5},
    'capacityProviderStrategy': _CP_STRATEGY,
}

# Plain limits from ecs-semantics.md (section in the comment) merged into the generated nodes.
# Keys are paths with `[]` for list items and `{}` for map values; a path that does not exist fails
# generation, so a botocore upgrade cannot silently drop one.
OVERRIDES = {
    'Cluster': {'clusterName': {'minLength': 1, 'maxLength': 255}, 'defaultCapacityProviderStrategy': _CP_STRATEGY},
    'TaskDefinition': {
        'family': {'minLength': 1, 'maxLength': 255},
        'containerDefinitions': {'minItems': 1, 'maxItems': 10},  # §1 at most 10 containers
        'containerDefinitions[].name': {'minLength': 1, 'maxLength': 255},
        'containerDefinitions[].cpu': {'minimum': 0},
        'containerDefinitions[].memory': {'minimum': 1},
        'containerDefinitions[].memoryReservation': {'minimum': 1},
        'containerDefinitions[].portMappings[].containerPort': {'minimum': 1, 'maximum': 65535},
        'containerDefinitions[].portMappings[].hostPort': {'minimum': 0, 'maximum': 65535},
        'containerDefinitions[].healthCheck.command': {'minItems': 1},
        'containerDefinitions[].healthCheck.interval': {'minimum': 5, 'maximum': 300},  # §1 healthCheck
        'containerDefinitions[].healthCheck.timeout': {'minimum': 2, 'maximum': 60},
        'containerDefinitions[].healthCheck.retries': {'minimum': 1, 'maximum': 10},
        'containerDefinitions[].healthCheck.startPeriod': {'minimum': 0, 'maximum': 300},
        'containerDefinitions[].startTimeout': {'minimum': 0},
        'containerDefinitions[].stopTimeout': {'minimum': 0},
        'placementConstraints': {'maxItems': 10},
        'placementConstraints[].expression': {'maxLength': 2000},
        'ephemeralStorage.sizeInGiB': {'minimum': 21, 'maximum': 200},  # §3
        'volumes[].efsVolumeConfiguration.transitEncryptionPort': {'minimum': 0, 'maximum': 65535},
    },
    'Service': {
        'serviceName': {'minLength': 1, 'maxLength': 255},
        'desiredCount': {'minimum': 0},
        'healthCheckGracePeriodSeconds': {'minimum': 0, 'maximum': 2147483647},  # §1 Service
        'deploymentConfiguration.minimumHealthyPercent': {'minimum': 0, 'maximum': 100},
        'deploymentConfiguration.maximumPercent': {'minimum': 0},
        'loadBalancers': {'maxItems': 5},
        'loadBalancers[].containerPort': {'minimum': 1, 'maximum': 65535},
        'networkConfiguration.awsvpcConfiguration.subnets': {'maxItems': 16},  # §2 quotas
        'networkConfiguration.awsvpcConfiguration.securityGroups': {'maxItems': 5},
        **_PLACEMENT,
    },
    'Task': {
        'count': {'minimum': 1, 'maximum': 10},  # §1 Task: RunTask count ≤ 10
        'group': {'maxLength': 255},
        'startedBy': {'maxLength': 128},
        'networkConfiguration.awsvpcConfiguration.subnets': {'maxItems': 16},
        'networkConfiguration.awsvpcConfiguration.securityGroups': {'maxItems': 5},
        **_PLACEMENT,
    },
    'ContainerInstance': {
        'attributes[].name': {'minLength': 1, 'maxLength': 128},  # §1 ContainerInstance
        'attributes[].value': {'minLength': 1, 'maxLength': 128},
    },
    'CapacityProvider': {'name': {'minLength': 1, 'maxLength': 255}},
    'AutoScalingGroup': {
        'MinSize': {'minimum': 0},
        'MaxSize': {'minimum': 0},
        'DesiredCapacity': {'minimum': 0},
        'DefaultCooldown': {'minimum': 0},
    },
    'ScalableTarget': {'MinCapacity': {'minimum': 0}, 'MaxCapacity': {'minimum': 0}},  # §7
    'ScalingPolicy': {
        'StepScalingPolicyConfiguration.StepAdjustments': {'maxItems': 20},  # §7 quotas
        # null means ±infinity (§7), and such pastes exist
        'StepScalingPolicyConfiguration.StepAdjustments[].MetricIntervalLowerBound': {'nullable': True},
        'StepScalingPolicyConfiguration.StepAdjustments[].MetricIntervalUpperBound': {'nullable': True},
        'StepScalingPolicyConfiguration.Cooldown': {'minimum': 0},
        'StepScalingPolicyConfiguration.MinAdjustmentMagnitude': {'minimum': 1},
        'TargetTrackingScalingPolicyConfiguration.ScaleOutCooldown': {'minimum': 0},
        'TargetTrackingScalingPolicyConfiguration.ScaleInCooldown': {'minimum': 0},
    },
    'ScheduledAction': {
        'ScalableTargetAction.MinCapacity': {'minimum': 0},
        'ScalableTargetAction.MaxCapacity': {'minimum': 0},
    },
    'TargetGroup': {'Name': {'minLength': 1, 'maxLength': 32}},
    'Queue': {'QueueName': {'minLength': 1, 'maxLength': 80}},  # SQS CreateQueue: 1-80 characters
}


# kind -> (service, the output shape Describe* returns one object of, the Describe* operation)
STATUS = {
    'Cluster': ('ecs', 'Cluster', 'DescribeClusters'),
    'TaskDefinition': ('ecs', 'TaskDefinition', 'DescribeTaskDefinition'),
    'TaskDefinitionRevision': ('ecs', 'TaskDefinition', 'DescribeTaskDefinition'),
    'Service': ('ecs', 'Service', 'DescribeServices'),
    'Task': ('ecs', 'Task', 'DescribeTasks'),
    'ContainerInstance': ('ecs', 'ContainerInstance', 'DescribeContainerInstances'),
    'CapacityProvider': ('ecs', 'CapacityProvider', 'DescribeCapacityProviders'),
    'AutoScalingGroup': ('asg', 'AutoScalingGroup', 'DescribeAutoScalingGroups'),
    'ScalableTarget': ('aas', 'ScalableTarget', 'DescribeScalableTargets'),
    'ScalingPolicy': ('aas', 'ScalingPolicy', 'DescribeScalingPolicies'),
    'ScheduledAction': ('aas', 'ScheduledAction', 'DescribeScheduledActions'),
    'TargetGroup': ('elbv2', 'TargetGroup', 'DescribeTargetGroups'),
    'Subnet': ('ec2', 'Subnet', 'DescribeSubnets'),
    'AccountSetting': ('ecs', 'Setting', 'ListAccountSettings'),
    # GetQueueAttributes returns a map of attribute names to strings: the fields are spelled out below.
    'Queue': ('sqs', None, 'GetQueueAttributes'),
    'MetricAlarm': ('cloudwatch', 'MetricAlarm', 'DescribeAlarms'),
    'Rule': ('events', 'DescribeRuleResponse', 'DescribeRule'),
    'Schedule': ('scheduler', 'GetScheduleOutput', 'GetSchedule'),
}

# Status fields ecsplane writes that the AWS output shape does not have: path (as in OVERRIDES) -> schema;
# {'$shape': (service, shape)} converts an AWS shape (e.g. the activities DescribeScalingActivities returns).
# `conditions`, `observedGeneration` and the bridge's own fields are added by controllers/bridge/crds.ts;
# pure bookkeeping (sequence numbers, metric datapoints, cooldowns) is not shown on custom resources at all
# (controllers/bridge/mapping.ts HIDDEN_STATUS_FIELDS keeps it in status.storeRecord).
_ECSPLANE = 'ecsplane (not in the AWS output): '
_INVOCATIONS = {
    'arn': {'type': 'string', 'description': _ECSPLANE + 'the ARN of the rule or schedule.'},
    'invocations': {'type': 'integer', 'description': _ECSPLANE + 'how many times the targets were invoked.'},
    'tasksStarted': {'type': 'integer', 'description': _ECSPLANE + 'tasks the ECS targets started (RunTask).'},
    'failedInvocations': {'type': 'integer', 'description': _ECSPLANE + 'invocations whose RunTask failed or placed no task.'},
    'lastInvocationTime': {'type': 'string', 'description': _ECSPLANE + 'when the targets were last invoked (RFC 3339).'},
    'lastScheduledTime': {'type': 'string', 'description': _ECSPLANE + 'the last scheduled time that was invoked (RFC 3339).'},
    'nextInvocationTime': {'type': 'string', 'description': _ECSPLANE + 'when the targets are invoked next (RFC 3339).'},
    'failures': {
        'type': 'array',
        'description': _ECSPLANE + 'the most recent failed invocations, newest first (RunTask failures[] reasons).',
        'items': {
            'type': 'object',
            'properties': {
                'time': {'type': 'string', 'description': 'When the invocation failed (RFC 3339).'},
                'target': {'type': 'string', 'description': 'The target Id.'},
                'arn': {'type': 'string', 'description': 'The resource the failure names (e.g. a container instance).'},
                'reason': {'type': 'string', 'description': 'The reason (e.g. RESOURCE:MEMORY).'},
                'detail': {'type': 'string', 'description': 'More detail, when there is any.'},
                'deadLetterArn': {'type': 'string', 'description': 'The DeadLetterConfig queue the failed event is recorded for.'},
            },
        },
    },
}
_SQS = 'GetQueueAttributes attribute (a number here, a string in the API): '
STATUS_EXTRAS = {
    'Rule': dict(_INVOCATIONS),
    'Schedule': dict(_INVOCATIONS),
    'Queue': {
        'QueueArn': {'type': 'string', 'description': 'GetQueueAttributes attribute: the Amazon resource name (ARN) of the queue.'},
        'CreatedTimestamp': {'type': 'string', 'description': 'GetQueueAttributes attribute: when the queue was created, in seconds since the epoch.'},
        'ApproximateNumberOfMessages': {'type': 'integer', 'description': _SQS + 'the approximate number of messages available for retrieval from the queue.'},
        'ApproximateNumberOfMessagesNotVisible': {'type': 'integer', 'description': _SQS + 'the approximate number of messages in flight (received, not yet deleted or past their visibility timeout).'},
        'ApproximateNumberOfMessagesDelayed': {'type': 'integer', 'description': _SQS + 'the approximate number of messages in the queue that are delayed and not available yet.'},
        'ApproximateAgeOfOldestMessage': {'type': 'integer', 'description': 'CloudWatch metric ApproximateAgeOfOldestMessage: the age of the oldest undeleted message, in seconds.'},
        'consumers': {'type': 'integer', 'description': _ECSPLANE + 'running tasks consuming the queue (sim.ecsplane.io/consumes).'},
    },
    'MetricAlarm': {
        'lastDatapoint': {'type': 'number', 'nullable': True, 'description': _ECSPLANE + 'the newest datapoint the alarm evaluated (a step scaling policy picks its step by it).'},
        'nextEvaluation': {'type': 'string', 'description': _ECSPLANE + 'the next minute boundary the alarm is evaluated at (RFC 3339).'},
    },
    'Service': {
        'serviceDeployments': {
            'type': 'array',
            'description': _ECSPLANE + 'the newest service deployments, as ListServiceDeployments returns them (a rolled-back deployment stays visible here).',
            'items': {'$shape': ('ecs', 'ServiceDeploymentBrief')},
        },
    },
    'TaskDefinition': {
        'revisions': {'type': 'array', 'items': {'type': 'integer'}, 'description': _ECSPLANE + 'every revision number registered for this family, oldest first.'},
    },
    'TaskDefinitionRevision': {
        'specHash': {'type': 'string', 'description': _ECSPLANE + 'hash of the registered task definition, to tell whether a TaskDefinition change needs a new revision.'},
        'launchedTasks': {'type': 'integer', 'description': _ECSPLANE + 'tasks launched from this revision so far; kept only while a simulation knob picks tasks by launch order (first N).'},
    },
    'Task': {
        'containerInstance': {'type': 'string', 'description': _ECSPLANE + 'the name of the container instance the task was placed on (containerInstanceArn names it too).'},
        'deregistrationDelayMs': {'type': 'integer', 'description': _ECSPLANE + 'the target group deregistration delay applied while the task is DEACTIVATING, in milliseconds (0 without a load balancer).'},
        'failures': {'type': 'array', 'description': _ECSPLANE + 'why the task could not be placed, as RunTask returns it in failures[].', 'items': {'$shape': ('ecs', 'Failure')}},
        'containers[].essential': {'type': 'boolean', 'description': _ECSPLANE + 'whether the container is essential (from the task definition): when it stops, the task stops.'},
    },
    'CapacityProvider': {
        'cluster': {'type': 'string', 'description': _ECSPLANE + 'the cluster the capacity provider is associated with.'},
        'autoScalingGroupName': {'type': 'string', 'description': _ECSPLANE + 'the name of the Auto Scaling group of autoScalingGroupProvider.'},
        'activities': {
            'type': 'array',
            'description': _ECSPLANE + 'the desired-capacity changes managed scaling made to the Auto Scaling group, newest first (as DescribeScalingActivities lists them for the group).',
            'items': {'$shape': ('asg', 'Activity')},
        },
        'activities[].DesiredCapacity': {'type': 'integer', 'description': _ECSPLANE + 'the desired capacity this activity set.'},
    },
    'AutoScalingGroup': {
        'DesiredCapacitySource': {'type': 'string', 'description': _ECSPLANE + 'who set DesiredCapacity last (`spec`, or `managed-scaling:<capacity provider>`).'},
        'Activities': {'type': 'array', 'description': _ECSPLANE + 'the group\'s scaling activities, newest first, as DescribeScalingActivities returns them.', 'items': {'$shape': ('asg', 'Activity')}},
        'Instances[].LaunchTime': {'type': 'string', 'description': _ECSPLANE + 'when the instance was launched.'},
        'Instances[].Cluster': {'type': 'string', 'description': _ECSPLANE + 'the ECS cluster the instance registered in.'},
    },
    'ScalableTarget': {
        'desiredCount': {'type': 'integer', 'description': _ECSPLANE + "the service's desired count as Application Auto Scaling last set it."},
        'ScalingActivities': {
            'type': 'array',
            'description': _ECSPLANE + 'the scaling activities of this target, newest first, as DescribeScalingActivities returns them.',
            'items': {'$shape': ('aas', 'ScalingActivity')},
        },
        'ScalingActivities[].DesiredCount': {'type': 'integer', 'description': _ECSPLANE + 'the desired count this activity set.'},
    },
    'ScalingPolicy': {
        'Alarms[].MetricName': {'type': 'string', 'description': _ECSPLANE + 'the metric the alarm watches (CloudWatch DescribeAlarms MetricName).'},
        'Alarms[].ComparisonOperator': {'type': 'string', 'description': _ECSPLANE + 'how the metric is compared with Threshold (CloudWatch DescribeAlarms ComparisonOperator).'},
        'Alarms[].Threshold': {'type': 'number', 'description': _ECSPLANE + 'the alarm threshold (CloudWatch DescribeAlarms Threshold).'},
        'Alarms[].EvaluationPeriods': {'type': 'integer', 'description': _ECSPLANE + 'how many one-minute datapoints must breach (CloudWatch DescribeAlarms EvaluationPeriods).'},
        'Alarms[].StateValue': {'type': 'string', 'description': _ECSPLANE + 'OK, ALARM or INSUFFICIENT_DATA (CloudWatch DescribeAlarms StateValue).'},
    },
    'ScheduledAction': {
        'lastFireTime': {'type': 'string', 'description': _ECSPLANE + 'when the action last ran (RFC 3339).'},
        'nextFireTime': {'type': 'string', 'description': _ECSPLANE + 'when the action runs next (RFC 3339).'},
    },
    'TargetGroup': {
        'TargetHealthDescriptions': {
            'type': 'array',
            'description': _ECSPLANE + 'the registered targets and their health, as DescribeTargetHealth returns them.',
            'items': {'$shape': ('elbv2', 'TargetHealthDescription')},
        },
        'TargetHealthDescriptions[].taskArn': {'type': 'string', 'description': _ECSPLANE + 'the task the target belongs to.'},
    },
}


def load_model(service):
    base = os.path.join(DATA, SERVICES[service], 'service-2.json')
    if os.path.exists(base):
        with open(base, encoding='utf-8') as f:
            return json.load(f)
    with gzip.open(base + '.gz', 'rt', encoding='utf-8') as f:
        return json.load(f)


_ABBREV = re.compile(r'\b(?:e\.g|i\.e|etc|vs|approx)\.$', re.I)


def first_sentence(doc):
    """Plain text of the first sentence of a botocore documentation string, at most MAX_DESCRIPTION chars."""
    if not doc:
        return ''
    text = re.sub(r'<[^>]+>', ' ', doc)
    text = html.unescape(text)
    text = re.sub(r'\s+', ' ', text).strip()
    text = re.sub(r'\s+([.,;:!?)])', r'\1', text).replace('( ', '(')
    sentence = text
    for m in re.finditer(r'[.!?](?=\s|$)', text):
        candidate = text[: m.end()]
        if not _ABBREV.search(candidate):
            sentence = candidate
            break
    return truncate(sentence)


def plain_text(doc):
    """The whole botocore documentation string as plain text: paragraphs separated by a blank line, list
    items on their own line (`- `), tags dropped, entities decoded."""
    if not doc:
        return ''
    text = re.sub(r'<li>\s*', '\n- ', doc)
    text = re.sub(r'</?(p|ul|ol|note|important|div|br)\b[^>]*>', '\n\n', text)
    text = re.sub(r'<[^>]+>', ' ', text)
    text = html.unescape(text)
    paragraphs = []
    for para in re.split(r'\n\s*\n', text):
        lines = [re.sub(r'\s+', ' ', line).strip() for line in para.split('\n')]
        lines = [re.sub(r'\s+([.,;:!?)])', r'\1', line).replace('( ', '(') for line in lines if line]
        if lines:
            paragraphs.append('\n'.join(lines))
    return '\n\n'.join(paragraphs)


def truncate(text, limit=MAX_DESCRIPTION):
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return cut[: cut.rfind(' ')].rstrip(',;:') + '…'


# The range of botocore's integer (Java int) and long (Java long, as far as a JSON number is exact).
INTEGER_RANGE = {'integer': (-2**31, 2**31 - 1), 'long': (-(2**53 - 1), 2**53 - 1)}

_UNPORTABLE = re.compile(r'\\u|\(\?|\\p\{Print\}')


# An escaped hyphen outside a character class (EventBridge's HttpParameters path pattern): JavaScript's
# unicode-mode RegExp, which ajv uses, rejects it as an invalid escape.
_CLASSES = re.compile(r'\[(?:\\.|[^\]\\])*\]')


def portable_pattern(pattern):
    if not pattern or _UNPORTABLE.search(pattern) or '\\-' in _CLASSES.sub('', pattern):
        return None
    return pattern


class Converter:
    """botocore shape -> structural schema. `constraints=False` (status) keeps types and descriptions only."""

    def __init__(self, model, constraints=True):
        self.shapes = model['shapes']
        self.constraints = constraints

    def convert(self, shape_name, doc=None, stack=()):
        node = self._convert(shape_name, doc, stack)
        if not self.constraints:
            for k in ('required', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'pattern'):
                node.pop(k, None)
        return node

    def _convert(self, shape_name, doc=None, stack=()):
        shape = self.shapes[shape_name]
        t = shape['type']
        desc = plain_text(doc if doc else shape.get('documentation'))
        node = {}
        if shape_name in stack or shape.get('document'):
            # Recursive or free-form shapes stay open (structural schemas allow that with this marker).
            node = {'type': 'object', 'x-kubernetes-preserve-unknown-fields': True}
        elif t == 'structure':
            stack = stack + (shape_name,)
            props = {}
            for member, ref in shape['members'].items():
                props[member] = self.convert(ref['shape'], ref.get('documentation'), stack)
            node = {'type': 'object', 'properties': props}
            required = [r for r in shape.get('required', []) if r in props]
            if required:
                node['required'] = required
        elif t == 'list':
            node = {'type': 'array', 'items': self.convert(shape['member']['shape'], shape['member'].get('documentation'), stack)}
            if 'min' in shape and shape['min'] > 0:
                node['minItems'] = shape['min']
            if 'max' in shape:
                node['maxItems'] = shape['max']
        elif t == 'map':
            node = {'type': 'object', 'additionalProperties': self.convert(shape['value']['shape'], None, stack)}
        elif t in ('string', 'blob'):
            node = {'type': 'string'}
            if 'enum' in shape:
                node['enum'] = list(shape['enum'])
            if shape.get('min', 0) > 0:
                node['minLength'] = shape['min']
            if 'max' in shape:
                node['maxLength'] = shape['max']
            pattern = portable_pattern(shape.get('pattern'))
            if pattern and 'enum' not in node:
                node['pattern'] = pattern
        elif t == 'timestamp':
            node = {'type': 'string'}  # ISO-8601; parsed by the kind's rules
        elif t in ('integer', 'long'):
            # botocore's integer is 32-bit and long 64-bit; a long is bounded by what a JSON number holds
            # exactly. Explicit bounds keep 2^31 and 1e20 out (they validated and then exhausted memory).
            lo, hi = INTEGER_RANGE[t]
            node = {'type': 'integer', 'minimum': shape.get('min', lo), 'maximum': shape.get('max', hi)}
        elif t in ('double', 'float'):
            node = {'type': 'number'}
            if 'min' in shape:
                node['minimum'] = shape['min']
            if 'max' in shape:
                node['maximum'] = shape['max']
        elif t == 'boolean':
            node = {'type': 'boolean'}
        else:
            raise ValueError(f'unsupported botocore type {t} ({shape_name})')
        if desc:
            node = {'description': desc, **node}
        return node


def node_at(schema, path):
    node = schema
    for part in re.findall(r'[^.\[\]{}]+|\[\]|\{\}', path):
        if part == '[]':
            node = node['items']
        elif part == '{}':
            node = node['additionalProperties']
        else:
            node = node['properties'][part]
    return node


def operation_doc(model, shape_name):
    for op in model['operations'].values():
        if op.get('input', {}).get('shape') == shape_name:
            return first_sentence(op.get('documentation')), op['name']
    return '', '?'


def build(kind):
    service, shape_name, name_field = KINDS[kind]
    model = load_model(service)
    schema = Converter(model).convert(shape_name, ' ')
    if name_field:
        schema['required'] = [r for r in schema.get('required', []) if r != name_field]
        if not schema['required']:
            del schema['required']
        schema['properties'][name_field]['description'] = (
            'Optional: defaults to metadata.name and must equal it if given. '
            + schema['properties'][name_field].get('description', '')
        ).strip()
    for field, extra in EXTRAS.get(kind, {}).items():
        schema['properties'][field] = extra
    for field, (other_service, other_shape) in MERGED_MEMBERS.get(kind, {}).items():
        other = load_model(other_service)
        ref = other['shapes'][other_shape]['members'][field]
        schema['properties'][field] = Converter(other).convert(ref['shape'], ref.get('documentation'))
    for path, keywords in OVERRIDES.get(kind, {}).items():
        try:
            node_at(schema, path).update(keywords)
        except KeyError:
            sys.exit(f'{kind}: override path {path!r} does not exist in {shape_name}')
    op_doc, op_name = operation_doc(model, shape_name)
    schema['description'] = truncate(f'The {op_name} request ({SERVICES[service]}). {op_doc}'.strip(), 2 * MAX_DESCRIPTION - 1)
    return {
        'kind': kind,
        'source': f'botocore {botocore.__version__} data/{SERVICES[service]}/service-2.json {shape_name}',
        'botocoreVersion': botocore.__version__,
        'generatedBy': 'hack/gen-schemas.py',
        'schema': schema,
    }


def build_status(kind):
    service, shape_name, operation = STATUS[kind]
    model = load_model(service)
    conv = Converter(model, constraints=False)
    schema = conv.convert(shape_name, ' ') if shape_name else {'type': 'object', 'properties': {}}
    for path, extra in STATUS_EXTRAS.get(kind, {}).items():
        items = extra.get('items', {})
        if '$shape' in items:
            other, name = items['$shape']
            extra = {**extra, 'items': Converter(load_model(other), constraints=False).convert(name)}
        parent, _, field = path.rpartition('.')
        try:
            node = node_at(schema, parent) if parent else schema
            node['properties'][field] = extra
        except KeyError:
            sys.exit(f'{kind}: status extra path {path!r} does not exist in {shape_name}')
    what = f'the {shape_name} object {operation} returns' if shape_name else f'the attributes {operation} returns'
    schema['description'] = f'Observed state, written by ecsplane: {what} ({SERVICES[service]}), plus conditions and observedGeneration.'
    return {'source': f'botocore {botocore.__version__} data/{SERVICES[service]}/service-2.json {shape_name or operation}', 'schema': schema}


STATUS_FILE = os.path.join(OUT_DIR, 'status.json')


def build_status_file():
    return {
        'botocoreVersion': botocore.__version__,
        'generatedBy': 'hack/gen-schemas.py',
        'kinds': {kind: build_status(kind) for kind in STATUS},
    }


EXAMPLES_FILE = os.path.join(ROOT, 'test', 'unit', 'api', 'fixtures', 'botocore-examples.json')


def examples():
    """botocore's own request examples for each kind's operation (a regression fixture for the schemas)."""
    out = []
    for kind, (service, shape_name, _) in KINDS.items():
        model = load_model(service)
        _, op_name = operation_doc(model, shape_name)
        path = os.path.join(DATA, SERVICES[service], 'examples-1.json')
        if not os.path.exists(path):
            continue
        with open(path, encoding='utf-8') as f:
            data = json.load(f).get('examples', {})
        for ex in data.get(op_name, []):
            out.append({'kind': kind, 'operation': op_name, 'id': ex.get('id', ''), 'input': ex['input']})
    return {'botocoreVersion': botocore.__version__, 'generatedBy': 'hack/gen-schemas.py --examples', 'examples': out}


def file_name(kind):
    return re.sub(r'(?<!^)(?=[A-Z])', '-', kind).lower() + '.json'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', action='store_true', help='fail if the committed schemas are stale')
    parser.add_argument('--examples', action='store_true', help=f'also write botocore request examples to {EXAMPLES_FILE}')
    parser.add_argument('--any-botocore', action='store_true', help=f'allow a botocore other than {BOTOCORE_VERSION}')
    args = parser.parse_args()
    if botocore.__version__ != BOTOCORE_VERSION and not args.any_botocore:
        sys.exit(
            f'botocore {botocore.__version__} found, {BOTOCORE_VERSION} expected: '
            f'pip install botocore=={BOTOCORE_VERSION} (or pass --any-botocore to regenerate from it on purpose)'
        )
    if args.examples:
        with open(EXAMPLES_FILE, 'w', encoding='utf-8') as f:
            f.write(json.dumps(examples(), indent=1, ensure_ascii=False) + '\n')
        print(f'{EXAMPLES_FILE}: written')
    os.makedirs(OUT_DIR, exist_ok=True)
    stale = []
    for kind in KINDS:
        text = json.dumps(build(kind), indent=1, ensure_ascii=False) + '\n'
        path = os.path.join(OUT_DIR, file_name(kind))
        if args.check:
            if not os.path.exists(path) or open(path, encoding='utf-8').read() != text:
                stale.append(path)
            continue
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
        print(f'{path}: {len(text)} bytes')
    text = json.dumps(build_status_file(), indent=1, ensure_ascii=False) + '\n'
    if args.check:
        if not os.path.exists(STATUS_FILE) or open(STATUS_FILE, encoding='utf-8').read() != text:
            stale.append(STATUS_FILE)
    else:
        with open(STATUS_FILE, 'w', encoding='utf-8') as f:
            f.write(text)
        print(f'{STATUS_FILE}: {len(text)} bytes')
    if stale:
        sys.exit('stale schemas (run python3 hack/gen-schemas.py): ' + ', '.join(stale))


if __name__ == '__main__':
    main()
