/**
 * StartTask: one task on each container instance named (up to 10), with no placement strategy — ECS
 * puts the task where it is told. Each becomes a Task whose spec is the StartTask input (without
 * `containerInstances`, a RunTask-shaped spec) plus `launchType: EC2` and a `memberOf` constraint
 * `ec2InstanceId == <the instance's>`, so the task loop's usual resource and port checks apply and
 * an instance that cannot take it gives a `failures[]` entry (RESOURCE:MEMORY, ...) naming the
 * instance; an instance that does not exist is MISSING.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StartTask.html
 */
import { makeKey } from '../../../api/meta.js';
import { ec2InstanceIdOf, type InstanceObject } from '../../shared/instances.js';
import { AwsError } from '../errors.js';
import type { JsonOperation } from '../router.js';
import { applyOne } from './apply.js';
import { arn, clusterOfInput, INVALID, newTaskId, requireCluster, resource, scopedKey, without } from './common.js';
import { reconcileTaskNow, taskView } from './tasks.js';

export const startTaskOperations: Record<string, JsonOperation> = {
  async StartTask({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    const refs = input.containerInstances as string[];
    if (refs.length < 1 || refs.length > 10) throw new AwsError(INVALID, 'containerInstances must contain between 1 and 10 container instance IDs or ARNs.');
    const spec = without(input, 'containerInstances');
    const tasks: unknown[] = [];
    const failures: unknown[] = [];
    for (const ref of refs) {
      const key = scopedKey(cluster, ref);
      const instanceArn = ref.startsWith('arn:') ? ref : arn.containerInstance(cluster, ref);
      const inst = app.store.get('ContainerInstance', key) as InstanceObject | undefined;
      if (!inst) {
        failures.push({ arn: instanceArn, reason: 'MISSING' });
        continue;
      }
      const id = newTaskId();
      const placementConstraints = [{ type: 'memberOf', expression: `ec2InstanceId == ${ec2InstanceIdOf(inst)}` }];
      await applyOne(app, resource('Task', id, { ...spec, cluster, launchType: 'EC2', placementConstraints }));
      reconcileTaskNow(app, makeKey(cluster, id)); // placed (or refused) before the reply, as RunTask
      const t = app.store.get('Task', makeKey(cluster, id));
      if (!t) continue;
      const refused = (t.status?.failures ?? []) as Array<{ arn?: string; reason: string; detail?: string }>;
      if (refused.length) {
        // Placement reports every instance it ruled out; only this instance's reason concerns StartTask.
        const own = refused.find((f) => f.arn === inst.status?.containerInstanceArn || f.arn?.endsWith(`/${inst.metadata.name}`)) ?? refused[0];
        failures.push({ arn: instanceArn, reason: own.reason, ...(own.detail ? { detail: own.detail } : {}) });
      }
      else tasks.push(taskView(t, ['TAGS']));
    }
    await app.api.persist();
    return { tasks, failures };
  },
};
