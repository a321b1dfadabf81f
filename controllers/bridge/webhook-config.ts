/**
 * The ValidatingWebhookConfiguration of the admission webhook (pure). Two ways the kube-apiserver reaches
 * ecsplane:
 *   - url: `ecsplane run --kubeconfig` on the apiserver's machine (the test apiserver of hack/, a local
 *     cluster): https://127.0.0.1:PORT/validate. The bridge registers it as `ecsplane-<namespace>` and
 *     removes it when it stops.
 *   - service: in the cluster (hack/deploy/40-webhook.yaml installs it, named `ecsplane-bridge`); the
 *     bridge fills in caBundle.
 *
 * failurePolicy Ignore: while ecsplane is down (restarting, not deployed yet, a kill -9) the apiserver
 * cannot call it, and writes of ecsplane resources go through unchecked instead of failing. Nothing
 * invalid reaches ECS state even then: the CRD's schema and CEL rules still hold, and the bridge refuses
 * what ECS would when it applies the resource (Synced=False with the ECS exception). With Fail, a stopped
 * ecsplane would block every `kubectl apply` of its resources, including the fix of a broken one, and
 * a GitOps sync; the webhook only moves the refusal to apply time.
 */
import { KINDS } from '../../api/v1alpha1/index.js';
import { GROUP, MANAGED_BY_LABEL, MANAGED_BY_VALUE, VERSION } from './constants.js';

export const WEBHOOK_NAME = `validate.${GROUP}`;
export const WEBHOOK_PATH = '/validate';
/** The configuration hack/deploy installs (and the in-cluster bridge completes with its CA). */
export const DEPLOY_WEBHOOK_CONFIG = 'ecsplane-bridge';
/** The Secret holding the webhook's CA and serving certificate in the cluster (shared by replicas). */
export const WEBHOOK_TLS_SECRET = 'ecsplane-webhook-tls';

export type WebhookTarget = { url: string } | { service: { namespace: string; name: string; port: number } };

export function embeddedWebhookConfigName(namespace: string): string {
  return `ecsplane-${namespace}`;
}

export function webhookConfigFor(name: string, namespace: string, target: WebhookTarget, caBundle?: string): Record<string, any> {
  const clientConfig: Record<string, any> =
    'url' in target ? { url: target.url } : { service: { ...target.service, path: WEBHOOK_PATH } };
  if (caBundle) clientConfig.caBundle = caBundle;
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name, labels: { 'app.kubernetes.io/name': 'ecsplane', 'app.kubernetes.io/part-of': 'ecsplane' } },
    webhooks: [
      {
        name: WEBHOOK_NAME,
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy: 'Ignore',
        timeoutSeconds: 5,
        matchPolicy: 'Equivalent',
        clientConfig,
        rules: [
          {
            apiGroups: [GROUP],
            apiVersions: [VERSION],
            operations: ['CREATE', 'UPDATE'],
            resources: Object.values(KINDS).map((d) => d.plural),
            scope: 'Namespaced',
          },
        ],
        // One bridge serves one namespace; mirrors are the bridge's own writes.
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
        objectSelector: { matchExpressions: [{ key: MANAGED_BY_LABEL, operator: 'NotIn', values: [MANAGED_BY_VALUE] }] },
      },
    ],
  };
}

/** `namespace/name[:port]` (ECSPLANE_WEBHOOK_SERVICE). */
export function parseWebhookService(text: string): { namespace: string; name: string; port: number } {
  const m = /^([a-z0-9-]+)\/([a-z0-9-]+)(?::(\d+))?$/.exec(text);
  const port = m?.[3] === undefined ? 443 : Number(m[3]);
  if (!m || port < 1 || port > 65535) throw new Error(`ECSPLANE_WEBHOOK_SERVICE: expected namespace/name[:port], got ${JSON.stringify(text)}`);
  return { namespace: m[1], name: m[2], port };
}
