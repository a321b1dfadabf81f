/**
 * The capacity every autoscaling workload of the bench runs on: an Auto Scaling group of m5.xlarge
 * (60 s launch delay, new instances protected), a capacity provider with managed scaling, managed
 * termination protection and draining, and the cluster defaulting to it; and the autoscaled
 * service both workloads run many of.
 */
import { API_VERSION, type Resource } from '../../api/meta.js';

export const resource = (kind: string, name: string, spec: unknown, annotations?: Record<string, string>): Resource => ({
  apiVersion: API_VERSION,
  kind,
  metadata: { name, ...(annotations ? { annotations } : {}) },
  spec,
});

export function managedCapacity(o: { suffix: string; cluster: string; maxSize: number; desired: number }): Resource[] {
  const asg = `asg-${o.suffix}`;
  const cp = `cp-${o.suffix}`;
  return [
    resource('AutoScalingGroup', asg, {
      InstanceType: 'm5.xlarge',
      MinSize: 0,
      MaxSize: o.maxSize,
      DesiredCapacity: o.desired,
      AvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      NewInstancesProtectedFromScaleIn: true,
    }, { 'sim.ecsplane.io/launch-delay': '60s' }),
    resource('CapacityProvider', cp, {
      autoScalingGroupProvider: {
        autoScalingGroupArn: asg,
        managedScaling: { status: 'ENABLED', targetCapacity: 100, minimumScalingStepSize: 1, maximumScalingStepSize: 10, instanceWarmupPeriod: 60 },
        managedTerminationProtection: 'ENABLED',
        managedDraining: 'ENABLED',
      },
    }),
    resource('Cluster', o.cluster, { capacityProviders: [cp], defaultCapacityProviderStrategy: [{ capacityProvider: cp, weight: 1 }] }),
  ];
}

/**
 * An autoscaled service on that capacity: its task definition (512 CPU / 1 GiB, a dynamic port, 5 s
 * to start), the service (binpack on memory, 2 tasks), a scalable target 2–12 and target tracking at
 * 50 % CPU (scale-in cooldown 300 s, scale-out 60 s). The target reference is returned for more
 * Application Auto Scaling objects on it.
 */
export function autoscaledService(cluster: string, name: string): { docs: Resource[]; target: Record<string, string> } {
  const target = { ServiceNamespace: 'ecs', ResourceId: `service/${cluster}/${name}`, ScalableDimension: 'ecs:service:DesiredCount' };
  const docs = [
    resource('TaskDefinition', name, {
      family: name,
      requiresCompatibilities: ['EC2'],
      cpu: '512',
      memory: '1024',
      containerDefinitions: [{ name: 'app', image: `registry.example/${name}:1`, portMappings: [{ containerPort: 8080, hostPort: 0 }] }],
    }, { 'sim.ecsplane.io/start-delay': '5s' }),
    resource('Service', name, { cluster, taskDefinition: name, desiredCount: 2, placementStrategy: [{ type: 'binpack', field: 'memory' }] }),
    resource('ScalableTarget', name, { ...target, MinCapacity: 2, MaxCapacity: 12 }),
    resource('ScalingPolicy', `${name}-cpu50`, {
      ...target,
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 50,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
      },
    }),
  ];
  return { docs, target };
}
