/**
 * Checks on a manifest as plain data, before anything else reads it: JSON values only, no key that
 * could reach an object's prototype (`__proto__`, `constructor`, `prototype`), finite numbers, and
 * bounded nesting and size. They run first and without recursion, so neither the recursive code after
 * them (clone, ajv, the kind rules) nor a prototype ever sees hostile input.
 */
import { EcsError, capValue, quoted } from './errors.js';

/** Keys that `obj[key] = …` would turn into a prototype change (or a trap for later code). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** Deepest nesting accepted; the deepest ECS request shape needs about 10 levels. */
export const MAX_DEPTH = 32;
/** Largest object accepted, as JSON (ecsplane's bound; etcd's request limit is 1.5 MiB). */
export const MAX_OBJECT_BYTES = 1024 * 1024;
/** Problems reported per object before giving up (one is enough to reject it). */
const MAX_PROBLEMS = 20;

interface Node {
  value: unknown;
  parent?: Node;
  key?: string | number;
  depth: number;
}

/** Every structural problem of `input` (empty when it is plain, bounded JSON). */
export function inputErrors(input: unknown, errorType: string): EcsError[] {
  const errors: EcsError[] = [];
  const add = (node: Node, message: string) => errors.push(new EcsError(errorType, message, pathOf(node)));
  let bytes = 0;
  const stack: Node[] = [{ value: input, depth: 0 }];
  while (stack.length > 0 && errors.length < MAX_PROBLEMS) {
    const node = stack.pop()!;
    const v = node.value;
    if (v === null || typeof v === 'boolean') bytes += 5;
    else if (typeof v === 'string') bytes += v.length + 2;
    else if (typeof v === 'number') {
      bytes += 8;
      if (!Number.isFinite(v)) add(node, `${capValue(v)} is not a number JSON can hold; use a finite number.`);
    } else if (Array.isArray(v)) {
      if (!enter(node, add)) continue;
      bytes += v.length + 2;
      for (let i = v.length - 1; i >= 0; i--) {
        if (v[i] === undefined) add({ value: v[i], parent: node, key: i, depth: node.depth + 1 }, 'A list item is missing (undefined is not JSON).');
        else stack.push({ value: v[i], parent: node, key: i, depth: node.depth + 1 });
      }
    } else if (isPlainObject(v)) {
      if (!enter(node, add)) continue;
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        bytes += key.length + 4;
        const child: Node = { value: v[key], parent: node, key, depth: node.depth + 1 };
        if (FORBIDDEN_KEYS.has(key)) add(child, `The key "${key}" is not allowed: it could change an object's prototype.`);
        else if (v[key] !== undefined) stack.push(child);
      }
    } else add(node, `A ${typeof v === 'object' ? 'non-JSON object' : typeof v} is not a JSON value.`);
  }
  if (errors.length === 0 && bytes > MAX_OBJECT_BYTES) {
    errors.push(new EcsError(errorType, `The object is about ${bytes} bytes of JSON; ecsplane accepts at most ${MAX_OBJECT_BYTES} bytes (1 MiB).`, largestMember(input)));
  }
  return errors;
}

function enter(node: Node, add: (node: Node, message: string) => void): boolean {
  if (node.depth < MAX_DEPTH) return true;
  add(node, `Nested more than ${MAX_DEPTH} levels deep.`);
  return false;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** `spec.containerDefinitions[0]["__proto__"]`; the root alone is `(object)`. */
function pathOf(node: Node): string {
  const parts: string[] = [];
  for (let n: Node | undefined = node; n?.parent; n = n.parent) {
    const k = n.key!;
    if (typeof k === 'number') parts.push(`[${k}]`);
    else if (/^[A-Za-z_$][\w$]*$/.test(k) && n.parent.parent) parts.push(`.${k}`);
    else if (/^[A-Za-z_$][\w$]*$/.test(k)) parts.push(k);
    else parts.push(`[${quoted(k)}]`);
  }
  return parts.length ? parts.reverse().join('') : '(object)';
}

/** The top-level member with the most JSON (`spec`, usually): where an oversized object is too big. */
function largestMember(input: unknown): string {
  if (!isPlainObject(input)) return '(object)';
  let best = '(object)';
  let bestSize = -1;
  for (const [k, v] of Object.entries(input)) {
    const size = JSON.stringify(v)?.length ?? 0;
    if (size > bestSize) [best, bestSize] = [/^[A-Za-z_$][\w$]*$/.test(k) ? k : `[${quoted(k)}]`, size];
  }
  return best;
}
