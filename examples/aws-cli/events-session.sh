#!/usr/bin/env bash
# EventBridge and EventBridge Scheduler with the AWS CLI against ecsplane (docs/events.md):
# an S3 "Object Created" rule whose ECS target runs a task per upload, and a Scheduler schedule.
#
#   make run                                    # terminal 1: ecsplane on 127.0.0.1:4566
#   PATH="$PWD/.venv-aws/bin:$PATH" examples/aws-cli/events-session.sh     # terminal 2 (after `make aws-cli`)
set -euo pipefail

export AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://127.0.0.1:4566}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_PAGER=""
step() { printf '\n### %s\n' "$*"; }
CLUSTER_ARN=arn:aws:ecs:us-east-1:123456789012:cluster/ingest
ROLE_ARN=arn:aws:iam::123456789012:role/ecsEventsRole

step "an ECS cluster with one instance and the task definition the rule runs"
aws ecs create-cluster --cluster-name ingest --query cluster.status --output text
aws ecs register-container-instance --cluster ingest \
  --total-resources name=CPU,type=INTEGER,integerValue=2048 name=MEMORY,type=INTEGER,integerValue=4096 \
  --query containerInstance.status --output text
aws ecs register-task-definition --family process-upload \
  --container-definitions '[{"name":"worker","image":"example/process-upload:1","cpu":256,"memory":512}]' \
  --query taskDefinition.taskDefinitionArn --output text

step "rule + target: S3 Object Created under incoming/ -> RunTask with the key as an environment override"
aws events put-rule --name s3-upload \
  --event-pattern '{"source":["aws.s3"],"detail-type":["Object Created"],"detail":{"object":{"key":[{"prefix":"incoming/"}]}}}'
aws events put-targets --rule s3-upload --targets '[{"Id":"process","Arn":"'"$CLUSTER_ARN"'","RoleArn":"'"$ROLE_ARN"'",
  "EcsParameters":{"TaskDefinitionArn":"process-upload","LaunchType":"EC2"},
  "InputTransformer":{"InputPathsMap":{"key":"$.detail.object.key"},
    "InputTemplate":"{\"containerOverrides\":[{\"name\":\"worker\",\"environment\":[{\"name\":\"KEY\",\"value\":\"<key>\"}]}]}"}}]'

step "two uploads arrive; one is outside incoming/"
aws events put-events --entries '[
  {"Source":"aws.s3","DetailType":"Object Created","Detail":"{\"bucket\":{\"name\":\"uploads\"},\"object\":{\"key\":\"incoming/a.csv\"}}"},
  {"Source":"aws.s3","DetailType":"Object Created","Detail":"{\"bucket\":{\"name\":\"uploads\"},\"object\":{\"key\":\"tmp/b.bin\"}}"}]' \
  --query FailedEntryCount --output text

step "the rule started one task, startedBy events-rule/s3-upload"
for _ in $(seq 50); do
  tasks=$(aws ecs list-tasks --cluster ingest --started-by events-rule/s3-upload --query 'length(taskArns)' --output text)
  [ "$tasks" = 1 ] && break
  sleep 0.2
done
echo "tasks started by the rule: $tasks"
task=$(aws ecs list-tasks --cluster ingest --started-by events-rule/s3-upload --query 'taskArns[0]' --output text)
aws ecs describe-tasks --cluster ingest --tasks "$task" --query 'tasks[0].overrides.containerOverrides[0].environment' --output json
aws events describe-rule --name s3-upload --query State --output text

step "a Scheduler schedule: 02:00 New York time every day, within a 15-minute window"
aws scheduler create-schedule --name nightly-report \
  --schedule-expression 'cron(0 2 * * ? *)' --schedule-expression-timezone America/New_York \
  --flexible-time-window '{"Mode":"FLEXIBLE","MaximumWindowInMinutes":15}' \
  --target '{"Arn":"'"$CLUSTER_ARN"'","RoleArn":"'"$ROLE_ARN"'","EcsParameters":{"TaskDefinitionArn":"process-upload","TaskCount":2}}'
aws scheduler get-schedule --name nightly-report --query '[State, ScheduleExpressionTimezone]' --output text

step "a bad cron is refused with the service's ValidationException"
if aws events put-rule --name bad --schedule-expression 'cron(0 12 * * *)' 2>"${TMPDIR:-/tmp}/events-err"; then exit 1; fi
grep -o 'ValidationException' "${TMPDIR:-/tmp}/events-err"

step "clean up"
aws scheduler delete-schedule --name nightly-report
aws events remove-targets --rule s3-upload --ids process --query FailedEntryCount --output text
aws events delete-rule --name s3-upload
echo "events session: done"
