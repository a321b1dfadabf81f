/**
 * The admission webhook: its verdicts (the admission pipeline of apply, dry run against the live store),
 * its configuration (hack/deploy/40-webhook.yaml is the generated one), and the HTTPS server with the
 * generated CA, as the kube-apiserver calls it.
 */
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { expect } from 'chai';
import { admissionVerdict, type AdmissionRequest } from '../../../controllers/bridge/webhook.js';
import { DEPLOY_WEBHOOK_CONFIG, parseWebhookService, webhookConfigFor } from '../../../controllers/bridge/webhook-config.js';
import { startWebhook } from '../../../controllers/bridge/webhook-server.js';
import type { KubeApi } from '../../../controllers/bridge/kube.js';
import { cluster, taskDefinition, testApp } from '../../helpers/fixtures.js';

const NS = 'demo';
const svc = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'ecsplane.io/v1alpha1',
  kind: 'Service',
  metadata: { name: 'web', namespace: NS, ...metadata },
  spec: { cluster: 'demo', taskDefinition: 'web', desiredCount: 1, launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a'] } }, ...spec },
});
const review = (object: any, extra: Partial<AdmissionRequest> = {}): AdmissionRequest => ({
  uid: 'u1',
  kind: { group: 'ecsplane.io', version: 'v1alpha1', kind: object.kind },
  operation: 'CREATE',
  namespace: NS,
  object,
  ...extra,
});

function appWithDemo() {
  const app = testApp();
  app.api.apply(cluster('demo'));
  app.api.apply(taskDefinition('web', { spec: { requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512' } }));
  return app;
}

describe('bridge: admission webhook verdicts', () => {
  it('denies what ECS refuses, with the exception as reason and the field in the message', () => {
    const app = appWithDemo();
    const r = admissionVerdict(review(svc({ schedulingStrategy: 'DAEMON' })), app.api, NS);
    expect(r.allowed).to.equal(false);
    expect(r.status).to.include({ code: 422, reason: 'InvalidParameterException' });
    expect(r.status!.message).to.equal('InvalidParameterException: spec.schedulingStrategy: The DAEMON scheduling strategy is not supported with Fargate.');
    expect(r.status!.details!.causes[0]).to.include({ field: 'spec.schedulingStrategy', reason: 'InvalidParameterException' });
    expect(app.store.list('Service')).to.have.length(0); // a dry run
  });

  it('allows a valid object, with a warning per field ecsplane does not simulate', () => {
    const app = appWithDemo();
    expect(admissionVerdict(review(svc({})), app.api, NS)).to.deep.equal({ uid: 'u1', allowed: true });
    const r = admissionVerdict(review(svc({ deploymentController: { type: 'CODE_DEPLOY' } })), app.api, NS);
    expect(r.allowed).to.equal(true);
    expect(r.warnings).to.have.length(1);
    expect(r.warnings![0]).to.match(/^NotSimulated: spec.deploymentController.type: /);
  });

  it('allows, with a warning, what only fails because another object is not there yet (apply order)', () => {
    const app = testApp(); // no cluster demo yet
    const r = admissionVerdict(review(svc({})), app.api, NS);
    expect(r.allowed).to.equal(true);
    expect(r.warnings![0]).to.match(/^ClusterNotFoundException: .*not applied yet/);
  });

  it('never blocks mirrors, deletions, metadata-only updates, other groups or namespaces', () => {
    const app = appWithDemo();
    const bad = svc({ schedulingStrategy: 'DAEMON' });
    const allowed = (req: AdmissionRequest) => admissionVerdict(req, app.api, NS).allowed;
    expect(allowed(review({ ...bad, metadata: { ...bad.metadata, labels: { 'app.kubernetes.io/managed-by': 'ecsplane-bridge' } } }))).to.equal(true);
    expect(allowed(review({ ...bad, metadata: { ...bad.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }), )).to.equal(true);
    expect(allowed(review({ ...bad, metadata: { ...bad.metadata, finalizers: ['x'] } }, { operation: 'UPDATE', oldObject: bad as any }))).to.equal(true);
    expect(allowed(review(bad, { operation: 'UPDATE', oldObject: svc({}) as any }))).to.equal(false); // the spec changed
    expect(allowed(review(bad, { namespace: 'other' }))).to.equal(true);
    expect(allowed(review(bad, { kind: { group: 'apps', version: 'v1', kind: 'Service' } }))).to.equal(true);
    expect(allowed(review(bad, { operation: 'DELETE' }))).to.equal(true);
  });

  it('denies a TaskDefinitionRevision written by hand (read-only kind)', () => {
    const app = appWithDemo();
    const r = admissionVerdict(review({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'TaskDefinitionRevision', metadata: { name: 'web.9' }, spec: {} }), app.api, NS);
    expect(r).to.deep.include({ allowed: false });
    expect(r.status!.reason).to.equal('ReadOnlyKind');
  });
});

describe('bridge: admission webhook configuration', () => {
  it('hack/deploy/40-webhook.yaml is webhookConfigFor() of the deployment (without the CA the bridge fills in)', () => {
    const docs = parseAllDocuments(readFileSync('hack/deploy/40-webhook.yaml', 'utf8')).map((d) => d.toJS());
    const vwc = docs.find((d) => d.kind === 'ValidatingWebhookConfiguration');
    expect(vwc).to.deep.equal(webhookConfigFor(DEPLOY_WEBHOOK_CONFIG, 'ecsplane', { service: { namespace: 'ecsplane', name: 'ecsplane-webhook', port: 443 } }));
    expect(vwc.webhooks[0].failurePolicy).to.equal('Ignore');
  });

  it('parses ECSPLANE_WEBHOOK_SERVICE', () => {
    expect(parseWebhookService('ecsplane/ecsplane-webhook')).to.deep.equal({ namespace: 'ecsplane', name: 'ecsplane-webhook', port: 443 });
    expect(parseWebhookService('ns/svc:8443').port).to.equal(8443);
    expect(() => parseWebhookService('nope')).to.throw(/namespace\/name/);
  });
});

describe('bridge: admission webhook server (HTTPS, generated CA)', () => {
  function fakeApi() {
    const configs = new Map<string, any>();
    const api = {
      namespace: NS,
      server: 'fake',
      readWebhookConfig: async (n: string) => configs.get(n),
      createWebhookConfig: async (b: any) => (configs.set(b.metadata.name, { ...b, metadata: { ...b.metadata, resourceVersion: '1' } }), b),
      replaceWebhookConfig: async (b: any) => (configs.set(b.metadata.name, b), b),
      deleteWebhookConfig: async (n: string) => void configs.delete(n),
    } as unknown as KubeApi;
    return { api, configs };
  }
  const quiet = { info() {}, warn() {}, error() {}, debug() {} } as any;

  function post(port: number, ca: string, path: string, body: string): Promise<{ code: number; json: any }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('registers itself with its CA, answers AdmissionReviews over TLS the CA vouches for, and unregisters on stop', async function () {
    this.timeout(20_000);
    const app = appWithDemo();
    const { api, configs } = fakeApi();
    const hook = await startWebhook(api, app.api, quiet, { port: 0 });
    try {
      const cfg = configs.get('ecsplane-demo');
      expect(cfg.webhooks[0].clientConfig.url).to.equal(`https://127.0.0.1:${hook.port}/validate`);
      const ca = Buffer.from(cfg.webhooks[0].clientConfig.caBundle, 'base64').toString('utf8');
      expect(ca).to.contain('BEGIN CERTIFICATE');
      const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: review(svc({ schedulingStrategy: 'DAEMON' })) });
      const r = await post(hook.port, ca, '/validate', body);
      expect(r.code).to.equal(200);
      expect(r.json).to.include({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' });
      expect(r.json.response).to.include({ uid: 'u1', allowed: false });
      expect((await post(hook.port, ca, '/validate', 'not json')).code).to.equal(400);
      expect((await post(hook.port, ca, '/validate', '{}')).code).to.equal(400);
      expect((await post(hook.port, ca, '/other', body)).code).to.equal(404);
    } finally {
      await hook.stop();
    }
    expect(configs.has('ecsplane-demo')).to.equal(false);
  });
});
