/**
 * EventBridge event patterns: parse (with InvalidEventPatternException's reasons) and match.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 *
 * A pattern mirrors the event: an object key names an event field, an array lists the values the field may
 * take (any one matches), a nested object descends, and `$or` lists alternative patterns. Leaf values are
 * literals (string, number, null) or one-key filter objects: prefix, suffix, anything-but, numeric, exists,
 * cidr, equals-ignore-case, wildcard. An event array field matches when any of its elements does. A field the
 * event lacks matches only `{"exists": false}`.
 */

export const INVALID_EVENT_PATTERN = 'InvalidEventPatternException';

export class EventPatternError extends Error {
  readonly type = INVALID_EVENT_PATTERN;
  constructor(reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.name = INVALID_EVENT_PATTERN;
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A compiled leaf condition: true when one event value (scalar; undefined = field absent) matches. */
type Leaf = (value: Json | undefined, present: boolean) => boolean;

export interface CompiledPattern {
  /** Every field condition must hold. */
  fields: { path: string; leaves?: Leaf[]; nested?: CompiledPattern }[];
  /** Each group: at least one alternative must hold. */
  ors: CompiledPattern[][];
}

const MAX_PATTERN_LENGTH = 4096; // PutRule EventPattern maxLength (botocore)
const MAX_DEPTH = 32;

/** Parse the PutRule `EventPattern` string; throws EventPatternError. */
export function parseEventPattern(text: string): CompiledPattern {
  if (text.length > MAX_PATTERN_LENGTH) throw new EventPatternError(`Pattern longer than ${MAX_PATTERN_LENGTH} characters.`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new EventPatternError(`Filter is not valid JSON: ${(e as Error).message.slice(0, 120)}`);
  }
  if (!isObj(doc)) throw new EventPatternError('Filter is not an object');
  return compileObject(doc, 0);
}

/** Does the event (a PutEvents-style envelope with `source`, `detail-type`, `detail`, ...) match? */
export function matchesPattern(pattern: CompiledPattern, event: unknown): boolean {
  return matchObject(pattern, event);
}

function isObj(x: unknown): x is Record<string, Json> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function compileObject(o: Record<string, Json>, depth: number): CompiledPattern {
  if (depth > MAX_DEPTH) throw new EventPatternError('Pattern nested too deeply');
  const out: CompiledPattern = { fields: [], ors: [] };
  for (const [key, value] of Object.entries(o)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw new EventPatternError('$or must be an array of at least two objects');
      out.ors.push(value.map((alt) => {
        if (!isObj(alt)) throw new EventPatternError('$or must be an array of objects');
        return compileObject(alt, depth + 1);
      }));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new EventPatternError(`Empty arrays are not allowed (field "${key.slice(0, 64)}")`);
      out.fields.push({ path: key, leaves: value.map((v) => compileLeaf(v, key)) });
    } else if (isObj(value)) {
      out.fields.push({ path: key, nested: compileObject(value, depth + 1) });
    } else {
      throw new EventPatternError(`"${key.slice(0, 64)}" must be an object or an array`);
    }
  }
  return out;
}

function compileLeaf(v: Json, key: string): Leaf {
  if (v === null || typeof v === 'string' || typeof v === 'number') return (x) => x === v;
  if (typeof v === 'boolean') return (x) => x === v;
  if (!isObj(v)) throw new EventPatternError(`Match value must be String, number, true, false, or null (field "${key.slice(0, 64)}")`);
  const keys = Object.keys(v);
  if (keys.length !== 1) throw new EventPatternError(`Only one key allowed in match expression (field "${key.slice(0, 64)}")`);
  const op = keys[0];
  const arg = v[op];
  switch (op) {
    case 'prefix':
    case 'suffix':
      return affix(op, arg);
    case 'equals-ignore-case': {
      if (typeof arg !== 'string') throw new EventPatternError('equals-ignore-case match pattern must be a string');
      const want = arg.toLowerCase();
      return (x) => typeof x === 'string' && x.toLowerCase() === want;
    }
    case 'wildcard': {
      if (typeof arg !== 'string') throw new EventPatternError('wildcard match pattern must be a string');
      const matches = wildcardMatcher(arg);
      return (x) => typeof x === 'string' && matches(x);
    }
    case 'anything-but':
      return anythingBut(arg);
    case 'numeric':
      return numeric(arg);
    case 'exists':
      if (typeof arg !== 'boolean') throw new EventPatternError('exists match pattern must be either true or false.');
      return arg ? (_x, present) => present : (_x, present) => !present;
    case 'cidr':
      return cidr(arg);
    default:
      throw new EventPatternError(`Unrecognized match type ${op.slice(0, 64)}`);
  }
}

function affix(op: 'prefix' | 'suffix', arg: Json): Leaf {
  let ignoreCase = false;
  let text = arg;
  if (isObj(arg)) {
    const ks = Object.keys(arg);
    if (ks.length !== 1 || ks[0] !== 'equals-ignore-case') throw new EventPatternError(`Unsupported ${op} pattern: only equals-ignore-case is allowed inside it`);
    text = arg['equals-ignore-case'];
    ignoreCase = true;
  }
  if (typeof text !== 'string') throw new EventPatternError(`${op} match pattern must be a string`);
  const want = ignoreCase ? text.toLowerCase() : text;
  return (x) => {
    if (typeof x !== 'string') return false;
    const s = ignoreCase ? x.toLowerCase() : x;
    return op === 'prefix' ? s.startsWith(want) : s.endsWith(want);
  };
}

/**
 * `*` matches any run of characters; `\*` is a literal star. Matched segment by segment (first as a prefix,
 * last as a suffix, the middle ones leftmost in order), which is exact for `*`-only globs and linear, where
 * a backtracking RegExp of many stars could take exponential time on a long value.
 */
function wildcardMatcher(p: string): (s: string) => boolean {
  if (p.includes('**')) throw new EventPatternError('Consecutive wildcard characters are not allowed');
  const segments: string[] = [''];
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\' && p[i + 1] === '*') {
      segments[segments.length - 1] += '*';
      i++;
    } else if (p[i] === '*') segments.push('');
    else segments[segments.length - 1] += p[i];
  }
  if (segments.length === 1) return (s) => s === segments[0];
  const first = segments[0];
  const last = segments[segments.length - 1];
  const middle = segments.slice(1, -1);
  return (s) => {
    if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
    let at = first.length;
    const end = s.length - last.length;
    for (const seg of middle) {
      const found = s.indexOf(seg, at);
      if (found < 0 || found + seg.length > end) return false;
      at = found + seg.length;
    }
    return true;
  };
}

function anythingBut(arg: Json): Leaf {
  if (isObj(arg)) {
    const ks = Object.keys(arg);
    if (ks.length !== 1) throw new EventPatternError('anything-but takes one match expression');
    const op = ks[0];
    let inner: Leaf;
    if (op === 'prefix' || op === 'suffix') inner = affix(op, arg[op]);
    else if (op === 'wildcard') inner = compileLeaf(arg, 'anything-but');
    else if (op === 'equals-ignore-case') {
      const list = Array.isArray(arg[op]) ? (arg[op] as Json[]) : [arg[op]];
      if (list.length === 0 || !list.every((s) => typeof s === 'string')) throw new EventPatternError('anything-but equals-ignore-case takes strings');
      const set = new Set((list as string[]).map((s) => s.toLowerCase()));
      inner = (x) => typeof x === 'string' && set.has(x.toLowerCase());
    } else throw new EventPatternError(`Unsupported anything-but pattern: ${op.slice(0, 64)}`);
    // A value of another type (a number against a prefix) is "anything but" the prefix too.
    return (x, present) => present && !inner(x, present);
  }
  const list = Array.isArray(arg) ? arg : [arg];
  if (list.length === 0) throw new EventPatternError('anything-but list must not be empty');
  for (const item of list) {
    if (!(typeof item === 'string' || typeof item === 'number' || item === null)) {
      throw new EventPatternError('Inside anything-but list, only strings, numbers and null are allowed');
    }
  }
  const values = new Set<Json>(list);
  return (x, present) => present && !values.has(x as Json);
}

const NUMERIC_OPS = new Set(['<', '<=', '=', '>=', '>']);

function numeric(arg: Json): Leaf {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0 || arg.length > 4) {
    throw new EventPatternError('numeric match takes one or two (operator, number) pairs');
  }
  const tests: ((n: number) => boolean)[] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const n = arg[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPS.has(op)) throw new EventPatternError(`Unrecognized numeric range operator: ${String(op).slice(0, 16)}`);
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new EventPatternError(`Value of ${op} must be numeric`);
    if (Math.abs(n) > 5e9) throw new EventPatternError('numeric values must be between -5.0e9 and +5.0e9 inclusive');
    tests.push(op === '<' ? (x) => x < n : op === '<=' ? (x) => x <= n : op === '=' ? (x) => x === n : op === '>=' ? (x) => x >= n : (x) => x > n);
  }
  if (arg.length === 4) {
    const lower = ['>', '>='].includes(arg[0] as string) && ['<', '<='].includes(arg[2] as string);
    if (!lower || (arg[1] as number) > (arg[3] as number)) throw new EventPatternError('Bad numeric range: use a lower bound (> or >=) then an upper bound (< or <=)');
  }
  return (x) => typeof x === 'number' && tests.every((t) => t(x));
}

function cidr(arg: Json): Leaf {
  if (typeof arg !== 'string') throw new EventPatternError('cidr match pattern must be a string');
  const parsed = parseCidr(arg);
  if (!parsed) throw new EventPatternError(`Nonstandard IP address: ${arg.slice(0, 64)}`);
  return (x) => {
    if (typeof x !== 'string') return false;
    const ip = parseIp(x);
    return ip !== undefined && ip.v6 === parsed.v6 && (ip.value >> parsed.shift) === (parsed.base >> parsed.shift);
  };
}

function parseCidr(text: string): { v6: boolean; base: bigint; shift: bigint } | undefined {
  const [addr, bitsText, extra] = text.split('/');
  if (extra !== undefined || bitsText === undefined || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const ip = parseIp(addr);
  const width = ip?.v6 ? 128 : 32;
  const bits = Number(bitsText);
  if (!ip || bits > width) return undefined;
  return { v6: ip.v6, base: ip.value, shift: BigInt(width - bits) };
}

function parseIp(text: string): { v6: boolean; value: bigint } | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v6: false, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!text.includes(':') || !/^[0-9a-fA-F:]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { v6: true, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

function matchObject(p: CompiledPattern, event: unknown): boolean {
  const o = isObj(event) ? event : undefined;
  for (const f of p.fields) {
    const present = o !== undefined && Object.prototype.hasOwnProperty.call(o, f.path);
    const value = present ? o![f.path] : undefined;
    if (f.nested) {
      const candidates = Array.isArray(value) ? value : [value];
      // exists:false inside a nested pattern must hold when the parent object is absent too.
      if (!candidates.some((c) => matchObject(f.nested!, c))) return false;
    } else if (!matchLeaves(f.leaves!, value, present)) return false;
  }
  for (const group of p.ors) if (!group.some((alt) => matchObject(alt, event))) return false;
  return true;
}

function matchLeaves(leaves: Leaf[], value: Json | undefined, present: boolean): boolean {
  if (Array.isArray(value)) {
    // exists applies to the field; other filters to any element. An empty array has no element to match.
    return leaves.some((leaf) => value.some((el) => leaf(el, true)) || (value.length === 0 && leaf(undefined, true) && !leaf(undefined, false)));
  }
  return leaves.some((leaf) => leaf(value, present));
}
