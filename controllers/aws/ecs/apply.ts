/** Writes of the ECS operations: every one goes through the admission pipeline (app.api) and is on disk before the reply. */
import type { Resource } from '../../../api/meta.js';
import type { App } from '../../register.js';
import type { ApplyOptions } from '../../../store/apiserver.js';

/** Manager name of the AWS front end's writes. */
export const AWS_API_MANAGER = 'aws-api';

export async function applyOne(app: App, obj: Resource, opts: Omit<ApplyOptions, 'manager'> = {}): Promise<Resource> {
  const [r] = await app.api.applyAndPersist([obj], { ...opts, manager: AWS_API_MANAGER });
  return r.object;
}

/**
 * Re-apply an existing object with spec members changed (UpdateService, PutClusterCapacityProviders,
 * TagResource, ...): labels and annotations are kept, as apply replaces them with what it is given.
 */
export async function reapply(app: App, current: Resource, spec: Record<string, unknown>, annotations?: Record<string, string | undefined>): Promise<Resource> {
  const merged: Record<string, string> = { ...(current.metadata.annotations ?? {}) };
  for (const [k, v] of Object.entries(annotations ?? {})) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  return applyOne(app, {
    apiVersion: current.apiVersion,
    kind: current.kind,
    metadata: {
      name: current.metadata.name,
      ...(current.metadata.labels ? { labels: current.metadata.labels } : {}),
      ...(Object.keys(merged).length ? { annotations: merged } : {}),
    },
    spec,
  });
}
