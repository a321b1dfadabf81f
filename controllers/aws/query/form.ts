/**
 * AWS Query input: `Action=X&Version=V&Name.member.1.Key=...` form fields → the JSON value the model's
 * input shape describes (lists as `.member.N`, or `.N` when flattened; maps as `.entry.N.key/value`;
 * numbers and booleans converted). Only members the model has are read; others are ignored, as AWS
 * does. https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */
import { capValue } from '../../../api/errors.js';
import { AwsError } from '../errors.js';
import type { QueryServiceModel, QueryShape } from './model.js';

interface Node {
  value?: string;
  children: Map<string, Node>;
}

/** No model input nests deeper than this; longer keys are not ours. */
const MAX_SEGMENTS = 16;

export function formTree(params: URLSearchParams): Node {
  const root: Node = { children: new Map() };
  for (const [key, value] of params) {
    const parts = key.split('.');
    if (parts.length > MAX_SEGMENTS) continue;
    let node = root;
    for (const p of parts) {
      let next = node.children.get(p);
      if (!next) node.children.set(p, (next = { children: new Map() }));
      node = next;
    }
    node.value = value;
  }
  return root;
}

/** The input value of `shapeName` from the form (ValidationError `invalidType` for a malformed number or boolean). */
export function readInput(model: QueryServiceModel, shapeName: string | undefined, params: URLSearchParams, invalidType: string): Record<string, unknown> {
  if (!shapeName) return {};
  return (read(model, model.shapes[shapeName], formTree(params), '', invalidType) as Record<string, unknown>) ?? {};
}

function indexed(node: Node | undefined): Node[] {
  if (!node) return [];
  return [...node.children.entries()]
    .filter(([k]) => /^[1-9][0-9]{0,6}$/.test(k))
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([, n]) => n);
}

function read(model: QueryServiceModel, shape: QueryShape, node: Node, path: string, invalidType: string): unknown {
  const bad = (what: string) => new AwsError(invalidType, `Invalid ${what} value ${JSON.stringify(capValue(node.value ?? ''))} for parameter ${path}.`);
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const child = node.children.get(name);
        if (!child) continue;
        const v = read(model, model.shapes[member], child, path ? `${path}.${name}` : name, invalidType);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list': {
      const items = indexed(shape.flattened ? node : node.children.get('member'));
      return items.map((n, i) => read(model, model.shapes[shape.member!], n, `${path}.member.${i + 1}`, invalidType));
    }
    case 'map': {
      const out: Record<string, unknown> = Object.create(null);
      for (const [i, entry] of indexed(shape.flattened ? node : node.children.get('entry')).entries()) {
        const k = entry.children.get('key')?.value;
        const v = entry.children.get('value');
        if (k !== undefined && v) out[k] = read(model, model.shapes[shape.value!], v, `${path}.entry.${i + 1}.value`, invalidType);
      }
      return { ...out };
    }
    case 'integer':
    case 'long': {
      if (node.value === undefined) return undefined;
      if (!/^-?[0-9]{1,15}$/.test(node.value)) throw bad('integer');
      return Number(node.value);
    }
    case 'double':
    case 'float': {
      if (node.value === undefined) return undefined;
      const n = Number(node.value);
      if (node.value.trim() === '' || !Number.isFinite(n)) throw bad('number');
      return n;
    }
    case 'boolean':
      if (node.value === undefined) return undefined;
      if (node.value !== 'true' && node.value !== 'false') throw bad('boolean');
      return node.value === 'true';
    default:
      return node.value;
  }
}
