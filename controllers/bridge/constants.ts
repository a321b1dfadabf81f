/**
 * Names the Kubernetes bridge shares with the CRD generator, the deploy manifests and the e2e tests.
 * Pure constants: importing this never loads @kubernetes/client-node.
 */
import { GROUP, VERSION, API_VERSION } from '../../api/meta.js';

export { GROUP, VERSION, API_VERSION };

/** Field manager and event source of every write the bridge makes. */
export const FIELD_MANAGER = 'ecsplane-bridge';
export const COMPONENT = 'ecsplane-bridge';

/**
 * On custom resources the bridge created (mirrors of store objects: tasks, revisions, container instances
 * registered by Auto Scaling, ...). A CR without it is user-owned: its spec is desired state, only its
 * status is written. Removing the label from a mirror hands the object over to the user.
 */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'ecsplane-bridge';

/** On every mirror: the ECS cluster (label, sanitised) so `kubectl get tasks -l ecsplane.io/cluster=prod` works. */
export const CLUSTER_LABEL = 'ecsplane.io/cluster';

/**
 * The ECS identity of a CR. On user CRs, `ecsplane.io/name` optionally overrides the ECS name (ECS names
 * may hold upper case and underscores, Kubernetes names may not). On mirrors both are always set.
 */
export const NAME_ANNOTATION = 'ecsplane.io/name';
export const CLUSTER_ANNOTATION = 'ecsplane.io/cluster';
/** Hash of what the bridge last wrote into a mirror's metadata and spec (skip no-op rewrites). */
export const MIRROR_HASH_ANNOTATION = 'ecsplane.io/mirror-hash';
/** Hash of a generated CRD (the bridge updates an installed CRD whose hash differs). */
export const SCHEMA_HASH_ANNOTATION = 'ecsplane.io/schema-hash';

/**
 * On store objects whose desired state comes from a CR: `namespace/name` and uid of that CR. When the CR
 * is gone (deleted while the bridge was down, or recreated under the same name) the store object is
 * deleted too.
 */
export const SOURCE_ANNOTATION = 'bridge.ecsplane.io/source';
export const SOURCE_UID_ANNOTATION = 'bridge.ecsplane.io/source-uid';

/** Annotations of a CR that never reach the store (client bookkeeping). */
export const DROPPED_ANNOTATION_PREFIXES = ['kubectl.kubernetes.io/', 'deployment.kubernetes.io/', 'bridge.ecsplane.io/'];

/** Kinds users may not create: the store creates them (RegisterTaskDefinition → revision). */
export const READ_ONLY_KINDS = new Set(['TaskDefinitionRevision']);

/** Condition types the bridge adds next to the store's Ready / Progressing / Degraded. */
export const SYNCED = 'Synced';
