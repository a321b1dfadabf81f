/**
 * The narrow port between the bridge and the Kubernetes API, and its implementation on
 * @kubernetes/client-node 1.4 (loaded with `await import()`, so nothing else ever loads the client).
 * Every call has a timeout: a kube-apiserver that stops answering must not hang a reconcile forever.
 */
import type { KubeObject } from './names.js';
import { FIELD_MANAGER, GROUP, VERSION } from './constants.js';
import type { LeaseClient, LeaseRecord } from './leader-election.js';

/** A Kubernetes API error (ApiException, watch error or transport failure), normalised. */
export class KubeError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 for transport errors (connection refused, reset, timeout). */
    readonly code: number,
    /** Kubernetes Status reason (NotFound, AlreadyExists, Conflict, Invalid, Expired, Gone, ...). */
    readonly reason = '',
  ) {
    super(message);
    this.name = 'KubeError';
  }
}

export const isNotFound = (e: unknown) => e instanceof KubeError && e.code === 404;
export const isAlreadyExists = (e: unknown) => e instanceof KubeError && e.code === 409 && e.reason === 'AlreadyExists';
export const isConflict = (e: unknown) => e instanceof KubeError && e.code === 409 && e.reason !== 'AlreadyExists';
export const isGone = (e: unknown) => e instanceof KubeError && (e.code === 410 || e.reason === 'Expired' || e.reason === 'Gone');
export const isInvalid = (e: unknown) => e instanceof KubeError && (e.code === 422 || e.code === 400);
export const isForbidden = (e: unknown) => e instanceof KubeError && (e.code === 403 || e.code === 401);

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchHandle {
  abort(): void;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
}

/** Namespaced custom objects of group ecsplane.io, plus Events and CRDs. */
export interface KubeApi {
  readonly namespace: string;
  /** Server URL (for logs). */
  readonly server: string;
  list(plural: string): Promise<ListResult>;
  /**
   * Watch from `resourceVersion`. `onEvent` gets every event (ERROR included, with the Status object);
   * `onDone` is called exactly once when the stream ends (null on a clean close).
   */
  watch(
    plural: string,
    resourceVersion: string,
    timeoutSeconds: number,
    onEvent: (type: WatchEventType, obj: any) => void,
    onDone: (err: unknown) => void,
  ): Promise<WatchHandle>;
  create(plural: string, body: KubeObject): Promise<KubeObject>;
  /** JSON merge patch of the main resource (metadata, spec). */
  patch(plural: string, name: string, patch: unknown): Promise<KubeObject>;
  /** JSON merge patch of the status subresource. */
  patchStatus(plural: string, name: string, patch: unknown): Promise<KubeObject>;
  /** Delete (background propagation); `uid` is a precondition so a recreated object is never hit. */
  delete(plural: string, name: string, uid?: string): Promise<void>;
  createEvent(body: Record<string, any>): Promise<void>;
  patchEvent(name: string, patch: unknown): Promise<void>;
  readCrd(name: string): Promise<any | undefined>;
  createCrd(body: Record<string, any>): Promise<any>;
  replaceCrd(body: Record<string, any>): Promise<any>;
  /** ValidatingWebhookConfigurations (cluster-scoped; the admission webhook, webhook-server.ts). */
  readWebhookConfig(name: string): Promise<any | undefined>;
  createWebhookConfig(body: Record<string, any>): Promise<any>;
  replaceWebhookConfig(body: Record<string, any>): Promise<any>;
  deleteWebhookConfig(name: string): Promise<void>;
  /** Secrets of the namespace (the webhook's CA, shared by the replicas of a deployment). */
  readSecret(name: string): Promise<any | undefined>;
  createSecret(body: Record<string, any>): Promise<any>;
}

const CALL_TIMEOUT_MS = 30_000;

function withTimeout<T>(p: Promise<T>, what: string, ms = CALL_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KubeError(`${what}: no answer in ${ms} ms`, 0, 'Timeout')), ms);
    timer.unref?.();
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** ApiException / fetch error / Status object → KubeError. */
export function toKubeError(err: unknown, what: string): KubeError {
  if (err instanceof KubeError) return err;
  const e = err as any;
  const code: number = typeof e?.code === 'number' ? e.code : typeof e?.statusCode === 'number' ? e.statusCode : 0;
  let body = e?.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      /* plain text */
    }
  }
  const reason = typeof body?.reason === 'string' ? body.reason : '';
  const message = typeof body?.message === 'string' ? body.message : typeof e?.message === 'string' ? e.message.split('\n')[0] : String(err);
  return new KubeError(`${what}: ${code ? `${code} ` : ''}${message}`, code, reason);
}

/**
 * client-node 1.4 builds a new https.Agent for every request (KubeConfig.createAgent), so each
 * call pays a TCP + TLS handshake and the sockets are never reused. Keep one keep-alive agent
 * per distinct TLS identity instead (the options are re-read per request, so a rotated client
 * certificate or CA still gets a new agent).
 */
function reuseConnections(kc: object): void {
  const target = kc as { createAgent?: (cluster: unknown, opts: Record<string, unknown>) => unknown };
  const create = target.createAgent?.bind(kc);
  if (!create) return; // a future client without the hook: its own agents, as before
  const agents = new Map<string, unknown>();
  target.createAgent = (cluster, opts) => {
    const identity = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername']
      .map((k) => (Buffer.isBuffer(opts[k]) ? (opts[k] as Buffer).toString('base64') : String(opts[k] ?? '')))
      .join('\0');
    let agent = agents.get(identity);
    if (!agent) {
      if (agents.size >= 8) agents.clear(); // identities rotate rarely; never grow without bound
      agents.set(identity, (agent = create(cluster, { ...opts, keepAlive: true })));
    }
    return agent;
  };
}

/**
 * Connect with a kubeconfig file (`in-cluster`, or no path inside a pod: the pod's service account; the
 * value of $KUBECONFIG: every file it lists, as kubectl does).
 * The only place @kubernetes/client-node is loaded.
 */
async function loadKubeConfig(kubeconfig: string) {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  if (kubeconfig === 'in-cluster' && !process.env.KUBERNETES_SERVICE_HOST) {
    throw new Error('--kubeconfig in-cluster: not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set)');
  }
  if (kubeconfig === 'in-cluster' || (!kubeconfig && process.env.KUBERNETES_SERVICE_HOST)) kc.loadFromCluster();
  else if (!kubeconfig || kubeconfig === process.env.KUBECONFIG) kc.loadFromDefault(); // KUBECONFIG may list several files
  else kc.loadFromFile(kubeconfig);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`kubeconfig ${kubeconfig || '(default)'} has no current cluster`);
  reuseConnections(kc);
  return { k8s, kc, cluster };
}

export async function connect(kubeconfig: string, namespace: string): Promise<KubeApi> {
  const { k8s, kc, cluster } = await loadKubeConfig(kubeconfig);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const watcher = new k8s.Watch(kc);
  const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
  const base = { group: GROUP, version: VERSION, namespace };
  const crds = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' };
  const webhooks = { group: 'admissionregistration.k8s.io', version: 'v1', plural: 'validatingwebhookconfigurations' };
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await withTimeout(fn(), what);
    } catch (err) {
      throw toKubeError(err, what);
    }
  };

  return {
    namespace,
    server: cluster.server,
    async list(plural) {
      const items: KubeObject[] = [];
      let cont: string | undefined;
      let resourceVersion = '';
      do {
        const page = await call(`list ${plural}`, () =>
          custom.listNamespacedCustomObject({ ...base, plural, limit: 500, _continue: cont }),
        );
        items.push(...((page?.items ?? []) as KubeObject[]));
        resourceVersion = page?.metadata?.resourceVersion ?? resourceVersion;
        cont = page?.metadata?.continue || undefined;
      } while (cont);
      return { items, resourceVersion };
    },
    async watch(plural, resourceVersion, timeoutSeconds, onEvent, onDone) {
      const path = `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${plural}`;
      const ctrl = await watcher.watch(
        path,
        { resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
        (type: string, obj: any) => onEvent(type as WatchEventType, obj),
        (err: unknown) => onDone(err ? toKubeError(err, `watch ${plural}`) : null),
      );
      return { abort: () => ctrl.abort() };
    },
    create(plural, body) {
      return call(`create ${plural}/${body.metadata.name}`, () =>
        custom.createNamespacedCustomObject({ ...base, plural, body, fieldManager: FIELD_MANAGER }),
      );
    },
    patch(plural, name, body) {
      return call(`patch ${plural}/${name}`, () =>
        custom.patchNamespacedCustomObject({ ...base, plural, name, body, fieldManager: FIELD_MANAGER }, merge),
      );
    },
    patchStatus(plural, name, body) {
      return call(`patch ${plural}/${name}/status`, () =>
        custom.patchNamespacedCustomObjectStatus({ ...base, plural, name, body, fieldManager: FIELD_MANAGER }, merge),
      );
    },
    async delete(plural, name, uid) {
      await call(`delete ${plural}/${name}`, () =>
        custom.deleteNamespacedCustomObject({
          ...base,
          plural,
          name,
          propagationPolicy: 'Background',
          body: uid ? { preconditions: { uid } } : undefined,
        }),
      );
    },
    async createEvent(body) {
      await call('create event', () => core.createNamespacedEvent({ namespace, body: body as any }));
    },
    async patchEvent(name, body) {
      await call(`patch event ${name}`, () => core.patchNamespacedEvent({ namespace, name, body }, merge));
    },
    // CRDs go through the generic custom-object calls: the body stays raw JSON (the typed
    // ApiextensionsV1Api would drop `enum` and `x-kubernetes-*` keys of a plain object).
    async readCrd(name) {
      try {
        return await call(`read crd ${name}`, () => custom.getClusterCustomObject({ ...crds, name }));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    createCrd(body) {
      return call(`create crd ${body.metadata.name}`, () =>
        custom.createClusterCustomObject({ ...crds, body, fieldManager: FIELD_MANAGER }),
      );
    },
    replaceCrd(body) {
      return call(`replace crd ${body.metadata.name}`, () =>
        custom.replaceClusterCustomObject({ ...crds, name: body.metadata.name, body, fieldManager: FIELD_MANAGER }),
      );
    },
    async readWebhookConfig(name) {
      try {
        return await call(`read validatingwebhookconfiguration ${name}`, () => custom.getClusterCustomObject({ ...webhooks, name }));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    createWebhookConfig(body) {
      return call(`create validatingwebhookconfiguration ${body.metadata.name}`, () =>
        custom.createClusterCustomObject({ ...webhooks, body, fieldManager: FIELD_MANAGER }),
      );
    },
    replaceWebhookConfig(body) {
      return call(`replace validatingwebhookconfiguration ${body.metadata.name}`, () =>
        custom.replaceClusterCustomObject({ ...webhooks, name: body.metadata.name, body, fieldManager: FIELD_MANAGER }),
      );
    },
    async deleteWebhookConfig(name) {
      try {
        await call(`delete validatingwebhookconfiguration ${name}`, () => custom.deleteClusterCustomObject({ ...webhooks, name }));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async readSecret(name) {
      try {
        return await call(`read secret ${name}`, () => core.readNamespacedSecret({ namespace, name }));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    createSecret(body) {
      return call(`create secret ${body.metadata.name}`, () => core.createNamespacedSecret({ namespace, body: body as any, fieldManager: FIELD_MANAGER }));
    },
  };
}

/**
 * The coordination.k8s.io/v1 Lease `namespace/name` for leader election (leader-election.ts). Through the
 * generic object calls, so the MicroTime fields stay the strings the elector wrote.
 */
export async function leaseClient(kubeconfig: string, namespace: string, name: string): Promise<LeaseClient> {
  const { k8s, kc } = await loadKubeConfig(kubeconfig);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const base = { group: 'coordination.k8s.io', version: 'v1', namespace, plural: 'leases' };
  const what = `lease ${namespace}/${name}`;
  // Shorter than the other calls: a renewal that hangs must not outlast the renew deadline.
  const call = async <T>(op: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await withTimeout(fn(), `${op} ${what}`, 5_000);
    } catch (err) {
      throw toKubeError(err, `${op} ${what}`);
    }
  };
  const body = (record: LeaseRecord, resourceVersion?: string) => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}) },
    spec: record,
  });
  return {
    async get() {
      try {
        const lease: any = await call('get', () => custom.getNamespacedCustomObject({ ...base, name }));
        return { record: lease?.spec ?? {}, resourceVersion: String(lease?.metadata?.resourceVersion ?? '') };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async create(record) {
      await call('create', () => custom.createNamespacedCustomObject({ ...base, body: body(record), fieldManager: FIELD_MANAGER }));
    },
    async update(record, resourceVersion) {
      await call('update', () => custom.replaceNamespacedCustomObject({ ...base, name, body: body(record, resourceVersion), fieldManager: FIELD_MANAGER }));
    },
  };
}
