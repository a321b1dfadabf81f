/**
 * The capacity every autoscaling workload of the bench runs on: an Auto Scaling group of m5.xlarge
 * (60 s launch delay, new instances protected), a capacity provider with managed scaling, managed
 * termination protection and draining, and the cluster defaulting to it.
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
