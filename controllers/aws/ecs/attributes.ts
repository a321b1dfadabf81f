/** PutAttributes, DeleteAttributes, ListAttributes: custom attributes of container instances (their spec `attributes`). */
import type { Resource } from '../../../api/meta.js';
import { AwsError } from '../errors.js';
import type { JsonOperation } from '../router.js';
import { reapply } from './apply.js';
import { arn, clusterOfInput, paginate, requireCluster } from './common.js';
import { instanceOf, mergedAttributes } from './container-instances.js';

type Attribute = { name: string; value?: string; targetType?: string; targetId?: string };

function targetOf(app: Parameters<JsonOperation>[0]['app'], cluster: string, a: Attribute): Resource {
  if ((a.targetType ?? 'container-instance') !== 'container-instance' || !a.targetId) {
    throw new AwsError('InvalidParameterException', 'Attributes need targetType container-instance and a targetId.');
  }
  const inst = instanceOf(app, cluster, a.targetId);
  if (!inst) throw new AwsError('TargetNotFoundException', `Could not find ${a.targetId}.`);
  return inst;
}

async function change(ctx: Parameters<JsonOperation>[0], input: any, put: boolean): Promise<unknown> {
  const cluster = clusterOfInput(input.cluster);
  requireCluster(ctx.app, cluster);
  for (const a of input.attributes as Attribute[]) {
    const inst = targetOf(ctx.app, cluster, a);
    const kept = ((inst.spec.attributes ?? []) as Attribute[]).filter((x) => x.name !== a.name);
    const attributes = put ? [...kept, { name: a.name, ...(a.value !== undefined ? { value: a.value } : {}) }] : kept;
    await reapply(ctx.app, inst, { ...inst.spec, attributes });
  }
  return { attributes: input.attributes };
}

export const attributeOperations: Record<string, JsonOperation> = {
  PutAttributes: (ctx, input) => change(ctx, input, true),
  DeleteAttributes: (ctx, input) => change(ctx, input, false),

  ListAttributes({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    const out: Attribute[] = [];
    for (const inst of app.store.list('ContainerInstance', { cluster })) {
      for (const a of mergedAttributes(inst)) {
        if (input.attributeName && a.name !== input.attributeName) continue;
        if (input.attributeValue !== undefined && a.value !== input.attributeValue) continue;
        out.push({ ...a, targetType: 'container-instance', targetId: arn.containerInstance(cluster, inst.metadata.name) });
      }
    }
    out.sort((a, b) => (a.targetId! + a.name < b.targetId! + b.name ? -1 : 1));
    const page = paginate(out, input, 'ListAttributes');
    return { attributes: page.items, nextToken: page.nextToken };
  },
};
