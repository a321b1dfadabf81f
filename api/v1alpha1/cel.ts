/**
 * ECS rules that also hold without ecsplane: CEL `x-kubernetes-validations` on a kind's `spec` in its CRD,
 * so the kube-apiserver refuses them at `kubectl apply` even while ecsplane (and its admission webhook) is
 * down. Each is a rule the kind's validate() already enforces, with its message prefixed by the ECS
 * exception; test/unit/api/cel.spec.ts checks that every case refused here is refused by validate() the
 * same way, and test/e2e/k8s-native.spec.ts that the apiserver applies them.
 *
 * Only rules on the object itself fit here (no references, no state). CEL sees spec as written: absent
 * fields are absent (defaults are ecsplane's view, not in spec).
 */

export interface CelRule {
  rule: string;
  /** Static message (the ECS exception, then ECS's message). */
  message: string;
  /** The field the error is reported on, relative to spec (`.launchType`). */
  fieldPath?: string;
}

const daemon = "has(self.schedulingStrategy) && self.schedulingStrategy == 'DAEMON'";
const maxPercentSet = 'has(self.deploymentConfiguration) && has(self.deploymentConfiguration.maximumPercent)';

/**
 * "If a capacityProviderStrategy is specified, the launchType parameter must be omitted."
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html (and API_RunTask.html)
 */
const LAUNCH_TYPE_XOR_STRATEGY: CelRule = {
  rule: '!has(self.launchType) || !has(self.capacityProviderStrategy) || size(self.capacityProviderStrategy) == 0',
  message: 'InvalidParameterException: Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
  fieldPath: '.launchType',
};

export const CEL_RULES: Record<string, CelRule[]> = {
  Service: [
    LAUNCH_TYPE_XOR_STRATEGY,
    // maximumPercent: at least 100 for REPLICA, exactly 100 for DAEMON (minimumHealthyPercent 0–100 is in the
    // schema). https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html
    {
      rule: `(${daemon}) || !(${maxPercentSet}) || self.deploymentConfiguration.maximumPercent >= 100`,
      message: 'InvalidParameterException: maximumPercent must be at least 100.',
      fieldPath: '.deploymentConfiguration.maximumPercent',
    },
    {
      rule: `!(${daemon}) || !(${maxPercentSet}) || self.deploymentConfiguration.maximumPercent == 100`,
      message: 'InvalidParameterException: maximumPercent must be 100 for services using the DAEMON scheduling strategy.',
      fieldPath: '.deploymentConfiguration.maximumPercent',
    },
  ],
  Task: [LAUNCH_TYPE_XOR_STRATEGY],
  // https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html
  ScalableTarget: [
    {
      rule: '!has(self.MinCapacity) || !has(self.MaxCapacity) || self.MinCapacity <= self.MaxCapacity',
      message: 'ValidationException: Minimum capacity cannot be greater than maximum capacity',
      fieldPath: '.MinCapacity',
    },
  ],
  ScheduledAction: [
    {
      rule:
        '!has(self.ScalableTargetAction) || !has(self.ScalableTargetAction.MinCapacity) || !has(self.ScalableTargetAction.MaxCapacity) || self.ScalableTargetAction.MinCapacity <= self.ScalableTargetAction.MaxCapacity',
      message: 'ValidationException: Minimum capacity cannot be greater than maximum capacity',
      fieldPath: '.ScalableTargetAction.MinCapacity',
    },
  ],
  // AutoScalingGroup's MinSize ≤ DesiredCapacity ≤ MaxSize is not here: ECS's messages quote the values, and
  // a messageExpression building them exceeds the apiserver's CEL cost budget.
};
