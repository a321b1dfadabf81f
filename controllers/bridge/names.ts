/**
 * Names and identities between the store (ECS names, keys `cluster/name`) and Kubernetes (DNS-1123
 * subdomain names in one namespace). Pure.
 */
import { createHash } from 'node:crypto';
import { CLUSTER_SCOPED_KINDS, clusterOf, keyOf, makeKey, splitKey } from '../../api/meta.js';
import { CLUSTER_ANNOTATION, MANAGED_BY_LABEL, MANAGED_BY_VALUE, NAME_ANNOTATION } from './constants.js';

/** The subset of a Kubernetes object the bridge reads. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }>;
    [k: string]: unknown;
  };
  spec?: any;
  status?: any;
}

/** Which store object a CR stands for. */
export interface StoreIdentity {
  kind: string;
  /** ECS name. */
  name: string;
  /** ECS cluster for cluster-scoped kinds, '' otherwise. */
  cluster: string;
  /** Store key (`cluster/name` or `name`). */
  key: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_NAME = 253;

export function isDnsSubdomain(s: string): boolean {
  return s.length > 0 && s.length <= MAX_NAME && DNS_SUBDOMAIN.test(s);
}

export function shortHash(s: string, n = 6): string {
  return createHash('sha256').update(s).digest('hex').slice(0, n);
}

/**
 * A valid Kubernetes object name for `s`: unchanged when it already is one, otherwise lower-cased with
 * invalid characters replaced and a short hash of the original appended (so `My_App` and `my-app` differ).
 */
export function dnsName(s: string): string {
  if (isDnsSubdomain(s)) return s;
  const segments = s
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .split('.')
    .map((seg) => seg.replace(/^-+|-+$/g, ''))
    .filter((seg) => seg !== '');
  const suffix = `-${shortHash(s)}`;
  let base = segments.join('.') || 'x';
  base = base.slice(0, MAX_NAME - suffix.length).replace(/[-.]+$/, '');
  return `${base}${suffix}`;
}

/** Whether the bridge created (and owns) this CR. */
export function isMirror(cr: KubeObject): boolean {
  return cr.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

/**
 * The store object a user-owned CR describes: metadata.name (or the `ecsplane.io/name` annotation) is
 * the ECS name; cluster-scoped kinds take their cluster from spec.cluster (name or ARN, default `default`).
 */
export function identityOfUserCr(kind: string, cr: KubeObject): StoreIdentity {
  const name = cr.metadata.annotations?.[NAME_ANNOTATION] || cr.metadata.name;
  const key = keyOf({ kind, metadata: { name }, spec: cr.spec });
  return { kind, name, cluster: clusterOf({ kind, spec: cr.spec }), key };
}

/** The store object a mirror stands for (from the annotations the bridge wrote). */
export function identityOfMirror(kind: string, cr: KubeObject): StoreIdentity | undefined {
  const name = cr.metadata.annotations?.[NAME_ANNOTATION];
  if (!name) return undefined;
  const cluster = CLUSTER_SCOPED_KINDS.has(kind) ? cr.metadata.annotations?.[CLUSTER_ANNOTATION] || 'default' : '';
  return { kind, name, cluster, key: makeKey(cluster, name) };
}

export function identityOf(kind: string, cr: KubeObject): StoreIdentity | undefined {
  return isMirror(cr) ? identityOfMirror(kind, cr) : identityOfUserCr(kind, cr);
}

export function identityOfKey(kind: string, key: string): StoreIdentity {
  const { cluster, name } = CLUSTER_SCOPED_KINDS.has(kind) ? splitKey(key) : { cluster: '', name: key };
  return { kind, name, cluster, key };
}

/**
 * The preferred name of a mirror. Task definition revisions `family:N` become `family.N` (ECS families
 * never contain a dot, so this is one-to-one); everything else goes through dnsName.
 */
export function mirrorName(id: StoreIdentity): string {
  if (id.kind === 'TaskDefinitionRevision') {
    const i = id.name.lastIndexOf(':');
    if (i > 0) return `${dnsName(id.name.slice(0, i))}.${id.name.slice(i + 1)}`;
  }
  return dnsName(id.name);
}

/** The fallback name when the preferred one is taken by another cluster's object of the same name. */
export function qualifiedMirrorName(id: StoreIdentity): string {
  return id.cluster ? dnsName(`${dnsName(id.cluster)}.${mirrorName(id)}`) : mirrorName(id);
}

/** A valid label value (≤ 63 chars of [A-Za-z0-9_.-], alphanumeric at both ends), or undefined. */
export function labelValue(v: string): string | undefined {
  if (v === '') return '';
  if (v.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(v)) return v;
  const cleaned = v.replace(/[^-A-Za-z0-9_.]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  const suffix = `-${shortHash(v)}`;
  const out = cleaned.slice(0, 63 - suffix.length).replace(/[^A-Za-z0-9]+$/, '') + suffix;
  return /^[A-Za-z0-9]/.test(out) ? out : undefined;
}

/** Whether `k` is a valid label or annotation key (`[prefix/]name`). */
export function isQualifiedKey(k: string): boolean {
  const i = k.lastIndexOf('/');
  const prefix = i < 0 ? '' : k.slice(0, i);
  const name = i < 0 ? k : k.slice(i + 1);
  if (prefix && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length > 0 && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}
