#!/usr/bin/env bash
# The seed notes' `aws ecs …` / `aws application-autoscaling …` session, verbatim, against ecsplane.
#
#   make run                                   # terminal 1: ecsplane on 127.0.0.1:4566
#   make aws-session                           # terminal 2: installs the AWS CLI, runs this script
#
# Run it against an ecsplane without a prod-cluster/web-app service (a fresh `make run` is fine).
# The endpoint comes from AWS_ENDPOINT_URL, which the AWS CLI v1 honours (botocore >= 1.31), so the
# seed's commands need no `--endpoint-url`; credentials are dummies (ecsplane never checks them).
set -euo pipefail
cd "$(dirname "$0")"

export AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://127.0.0.1:4566}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_PAGER=""
step() { printf '\n### %s\n' "$*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The seed's create-service uses web-app:3 and its update web-app:4, so earlier image tags fill
# revisions 1-2 first (on `make run`, the quickstart already registered the seed's JSON as web-app:1).
latest=$(aws ecs list-task-definitions --family-prefix web-app --sort DESC --max-items 1 --query 'taskDefinitionArns[0]' --output text)
rev=${latest##*:}; [[ "$rev" =~ ^[0-9]+$ ]] || rev=0
if [ "$rev" -gt 2 ]; then echo "web-app already has revision $rev; run this against a fresh ecsplane" >&2; exit 1; fi
register_tag() { # register the seed's task definition with image tag $1 (the next revision)
  sed "s/my-app:v1.2.3/my-app:$1/" task-def.json >"$tmp/task-def-$1.json"
  aws ecs register-task-definition --cli-input-json "file://$tmp/task-def-$1.json" --query 'taskDefinition.taskDefinitionArn' --output text
}
while [ "$rev" -lt 2 ]; do rev=$((rev + 1)); register_tag "v1.2.$rev"; done

# The seed's --load-balancers names "arn:aws:elasticloadbalancing:...:targetgroup/web-tg/xxx" (a
# placeholder). ecsplane resolves a target group by the name in the ARN; a name with no target group
# gets ELB's defaults (healthy after 5 x 30 s, 300 s deregistration delay). With the ELBv2 API,
# create web-tg with faster checks so the session converges sooner.
step "target group web-tg"
if tg=$(aws elbv2 create-target-group --name web-tg --protocol HTTP --port 8080 --target-type ip --vpc-id vpc-0example \
  --health-check-interval-seconds 5 --healthy-threshold-count 2 --query 'TargetGroups[0].TargetGroupArn' --output text 2>"$tmp/elbv2.err"); then
  echo "$tg"
  aws elbv2 modify-target-group-attributes --target-group-arn "$tg" --attributes Key=deregistration_delay.timeout_seconds,Value=5 >/dev/null
else
  echo "(not created: $(tail -1 "$tmp/elbv2.err"); web-tg keeps what ecsplane already has or ELB's defaults)"
fi

step "aws ecs create-cluster"
# Create cluster
aws ecs create-cluster --cluster-name prod-cluster

step "aws ecs register-task-definition (the seed's JSON: web-app:3)"
# Register task definition
aws ecs register-task-definition --cli-input-json file://task-def.json

register_tag v1.2.4 # web-app:4, the revision the seed's update-service rolls to

step "aws ecs create-service"
# Create service with ALB
aws ecs create-service \
  --cluster prod-cluster \
  --service-name web-app \
  --task-definition web-app:3 \
  --desired-count 3 \
  --launch-type FARGATE \
  --network-configuration '{
    "awsvpcConfiguration": {
      "subnets": ["subnet-priv-1a", "subnet-priv-1b"],
      "securityGroups": ["sg-app"],
      "assignPublicIp": "DISABLED"
    }
  }' \
  --load-balancers '[{
    "targetGroupArn": "arn:aws:elasticloadbalancing:...:targetgroup/web-tg/xxx",
    "containerName": "app",
    "containerPort": 8080
  }]'

step "aws ecs update-service (rolling deployment to web-app:4)"
# Update service (rolling deployment)
aws ecs update-service \
  --cluster prod-cluster \
  --service web-app \
  --task-definition web-app:4 \
  --desired-count 3

step "aws ecs update-service (desired 5)"
# Scale service
aws ecs update-service \
  --cluster prod-cluster \
  --service web-app \
  --desired-count 5

step "aws ecs list-tasks"
# View running tasks
aws ecs list-tasks --cluster prod-cluster --service-name web-app

step "aws application-autoscaling register-scalable-target"
# Register scalable target
aws application-autoscaling register-scalable-target \
  --service-namespace ecs \
  --resource-id service/prod-cluster/web-app \
  --scalable-dimension ecs:service:DesiredCount \
  --min-capacity 2 \
  --max-capacity 20

step "aws application-autoscaling put-scaling-policy"
# Target tracking: maintain 70% CPU
aws application-autoscaling put-scaling-policy \
  --service-namespace ecs \
  --resource-id service/prod-cluster/web-app \
  --scalable-dimension ecs:service:DesiredCount \
  --policy-name cpu-target-tracking \
  --policy-type TargetTrackingScaling \
  --target-tracking-scaling-policy-configuration '{
    "TargetValue": 70.0,
    "PredefinedMetricSpecification": {
      "PredefinedMetricType": "ECSServiceAverageCPUUtilization"
    },
    "ScaleOutCooldown": 60,
    "ScaleInCooldown": 120
  }'

step "aws ecs wait services-stable"
aws ecs wait services-stable --cluster prod-cluster --services web-app
aws ecs describe-services --cluster prod-cluster --services web-app \
  --query 'services[0].{desired:desiredCount,running:runningCount,taskDefinition:taskDefinition,deployments:length(deployments)}'
aws ecs list-tasks --cluster prod-cluster --service-name web-app
echo "seed session: services-stable returned"
