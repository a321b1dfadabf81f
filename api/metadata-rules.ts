/**
 * metadata rules shared by every kind: namespace, labels and annotations follow Kubernetes' rules (the
 * bridge mirrors them onto custom resources; https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/
 * and .../annotations/), and `sim.ecsplane.io/` annotations are the kind's simulation knobs (api/sim.ts).
 * metadata.name is each kind's own rule (api/v1alpha1).
 */
import { EcsError, capValue, quoted } from './errors.js';
import { simAnnotationErrors } from './sim.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Kubernetes' TotalAnnotationSizeLimitB. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Problems of metadata.namespace, labels and annotations (metadata already checked to be a mapping). */
export function metadataErrors(kind: string, metadata: Record<string, unknown>, errorType: string): EcsError[] {
  const errors: EcsError[] = [];
  const add = (field: string, message: string) => errors.push(new EcsError(errorType, message, field));
  const ns = metadata.namespace;
  if (ns !== undefined && !(typeof ns === 'string' && DNS_LABEL.test(ns))) {
    add('metadata.namespace', `Invalid namespace ${quoted(ns)}: a DNS label (at most 63 lowercase letters, digits and '-').`);
  }
  const labels = stringMap(metadata.labels, 'metadata.labels', add);
  for (const [k, v] of Object.entries(labels ?? {})) {
    const field = `metadata.labels[${quoted(k)}]`;
    const keyProblem = qualifiedNameProblem(k);
    if (keyProblem) add(field, `Invalid label key ${quoted(k)}: ${keyProblem}`);
    if (v.length > 63 || !LABEL_VALUE.test(v)) {
      add(field, `Invalid label value ${quoted(v)}: at most 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit.`);
    }
  }
  const annotations = stringMap(metadata.annotations, 'metadata.annotations', add);
  let bytes = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    bytes += k.length + v.length;
    const keyProblem = qualifiedNameProblem(k);
    if (keyProblem) add(`metadata.annotations[${quoted(k)}]`, `Invalid annotation key ${quoted(k)}: ${keyProblem}`);
  }
  if (bytes > MAX_ANNOTATIONS_BYTES) add('metadata.annotations', `Annotations total ${bytes} bytes; at most ${MAX_ANNOTATIONS_BYTES} (256 KiB) are allowed.`);
  if (annotations) errors.push(...simAnnotationErrors(kind, annotations, errorType));
  return errors;
}

/** The map when it is one of strings to strings (each bad value reported), else undefined. */
function stringMap(x: unknown, field: string, add: (field: string, message: string) => void): Record<string, string> | undefined {
  if (x === undefined || x === null) return undefined;
  if (typeof x !== 'object' || Array.isArray(x)) {
    add(field, `${field.slice('metadata.'.length)} must be a mapping of strings to strings.`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(x)) {
    if (typeof v === 'string') out[k] = v;
    else add(`${field}[${quoted(k)}]`, `Values are strings: quote ${capValue(v)}.`);
  }
  return out;
}

/** Kubernetes qualified names: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return 'the prefix must be a DNS subdomain (e.g. example.com).';
  if (name.length > 63 || !NAME_PART.test(name)) {
    return "the name must be at most 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit.";
  }
  return undefined;
}
