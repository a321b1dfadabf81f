/**
 * Cluster Query Language (CQL) for `memberOf` placement constraints: a lexer, a recursive-descent
 * parser and a compiler to closures. Compile once per request, evaluate per instance.
 *
 *   expression := or
 *   or         := and (('||' | 'or') and)*
 *   and        := unary (('&&' | 'and') unary)*
 *   unary      := ('!' | 'not') unary | '(' or ')' | comparison
 *   comparison := subject operator [argument]
 *   argument   := value | '[' value (',' value)* ']'          (lists for in / !in / not_in)
 *   value      := bare word | 'single-quoted' | "double-quoted"
 *
 * Subjects: attribute:<name>, agentConnected, agentVersion, ec2InstanceId, registeredAt,
 * runningTasksCount, task:group. Operators: == equals, != not_equals, > >= < <=, exists,
 * !exists not_exists, in, !in not_in, =~ matches, !~ not_matches. Keywords, operator words and
 * built-in subject names are case-insensitive; attribute names and values are case-sensitive.
 *
 * Semantics:
 * - Comparisons are numeric when both sides are numbers; agentVersion compares dotted versions
 *   component-wise; registeredAt compares dates (`2018-01-01`, `2018-01-01T10:00:00Z`, or epoch
 *   ms; `registeredAt == 2018-01-01` is true for the whole UTC day); ISO dates on both sides
 *   compare as dates; anything else compares as strings (UTF-16 code-unit order).
 * - `==`/`!=`/`in` values containing `*` are wildcards (`t2.*`); `=~` is a whole-value regular
 *   expression match (Java `String.matches`; JavaScript pattern syntax, which covers the common
 *   Java constructs). Values with spaces or operator characters (`|`, `(`, `!`, ...) need quotes.
 * - A missing attribute (or one present without value) satisfies no value comparison; the negated
 *   operators (`!=`, `!in`, `!~`, `!exists`) are exactly `not (...)` of their positive form.
 * - task:group is multi-valued: a positive comparison holds when any task on the instance
 *   (desiredStatus RUNNING, plus tasks placed earlier in the same request) satisfies it.
 *   `task:group exists` holds when the instance runs any task.
 */
import { EcsError, ErrorType } from '../../api/errors.js';
import type { InstanceView } from './types.js';

export const MAX_CQL_LENGTH = 2000;

/** Extra state of the instance that the caller knows but the view does not (yet) contain. */
export interface CqlContext {
  /** Groups of tasks placed on the instance earlier in the same request. */
  additionalGroups?: readonly string[];
  /** Number of tasks placed on the instance earlier in the same request. */
  additionalRunningTasks?: number;
}

type Test = (inst: InstanceView, extraGroups: readonly string[] | undefined, extraTasks: number) => boolean;

export interface CompiledCql {
  readonly expression: string;
  /** True when the result depends on the instance's tasks (task:group, runningTasksCount). */
  readonly dynamic: boolean;
  /** Evaluate; prefer `evaluateCql`. */
  readonly test: Test;
}

// ---------------------------------------------------------------------------------------------
// Lexer

type TokKind = 'word' | 'string' | '(' | ')' | '[' | ']' | ',' | 'op' | '!' | 'eof';

interface Token {
  kind: TokKind;
  /** Source text (for strings: including quotes). */
  text: string;
  /** Value (for strings: unquoted and unescaped). */
  value: string;
  pos: number;
}

const TWO_CHAR_OPS = new Set(['==', '!=', '>=', '<=', '=~', '!~', '&&', '||']);
/** Characters that end a bare word. */
const WORD_STOP = new Set([...'()[],\'"=!<>&|~']);

function fail(message: string): never {
  throw new EcsError(ErrorType.InvalidParameter, message, 'expression');
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v';
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const ch = src[i];
    if (isSpace(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '(' || ch === ')' || ch === '[' || ch === ']' || ch === ',') {
      out.push({ kind: ch, text: ch, value: ch, pos: start });
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      out.push({ kind: 'op', text: two, value: two, pos: start });
      i += 2;
      continue;
    }
    if (ch === '>' || ch === '<') {
      out.push({ kind: 'op', text: ch, value: ch, pos: start });
      i++;
      continue;
    }
    if (ch === '!') {
      out.push({ kind: '!', text: ch, value: ch, pos: start });
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) fail(`unterminated string starting at position ${start}; expected a closing ${ch}`);
        const c = src[i];
        if (c === '\\' && src[i + 1] === ch) {
          value += ch;
          i += 2;
          continue;
        }
        if (c === ch) {
          i++;
          break;
        }
        value += c;
        i++;
      }
      out.push({ kind: 'string', text: src.slice(start, i), value, pos: start });
      continue;
    }
    if (ch === '=') fail(`unexpected character '=' at position ${start}; expected '==' or '=~'`);
    if (ch === '&') fail(`unexpected character '&' at position ${start}; expected '&&'`);
    if (ch === '|') fail(`unexpected character '|' at position ${start}; expected '||'`);
    if (ch === '~') fail(`unexpected character '~' at position ${start}; expected '=~' or '!~'`);
    while (i < n && !isSpace(src[i]) && !WORD_STOP.has(src[i])) i++;
    const text = src.slice(start, i);
    out.push({ kind: 'word', text, value: text, pos: start });
  }
  out.push({ kind: 'eof', text: '', value: '', pos: n });
  return out;
}

// ---------------------------------------------------------------------------------------------
// AST

type SubjectKind =
  | 'attribute'
  | 'agentConnected'
  | 'agentVersion'
  | 'ec2InstanceId'
  | 'registeredAt'
  | 'runningTasksCount'
  | 'taskGroup';

interface Subject {
  kind: SubjectKind;
  /** attribute name for `attribute:<name>`. */
  name: string;
  /** As written, for messages. */
  text: string;
}

type Op = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'exists' | 'nexists' | 'in' | 'nin' | 'match' | 'nmatch';

interface Value {
  value: string;
  pos: number;
}

type Node =
  | { kind: 'or' | 'and'; items: Node[] }
  | { kind: 'not'; item: Node }
  | { kind: 'cmp'; subject: Subject; op: Op; opText: string; opPos: number; args: Value[] };

const SUBJECTS: Record<string, SubjectKind> = {
  agentconnected: 'agentConnected',
  agentversion: 'agentVersion',
  ec2instanceid: 'ec2InstanceId',
  registeredat: 'registeredAt',
  runningtaskscount: 'runningTasksCount',
  'task:group': 'taskGroup',
};

const SUBJECT_LIST =
  'attribute:<name>, agentConnected, agentVersion, ec2InstanceId, registeredAt, runningTasksCount or task:group';
const OPERATOR_LIST = '==, !=, >, >=, <, <=, exists, !exists, in, !in, =~ or !~';

const SYMBOL_OPS: Record<string, Op> = { '==': 'eq', '!=': 'ne', '>': 'gt', '>=': 'ge', '<': 'lt', '<=': 'le', '=~': 'match', '!~': 'nmatch' };
const WORD_OPS: Record<string, Op> = {
  equals: 'eq',
  not_equals: 'ne',
  exists: 'exists',
  not_exists: 'nexists',
  in: 'in',
  not_in: 'nin',
  matches: 'match',
  not_matches: 'nmatch',
};
const RESERVED = new Set(['and', 'or', 'not']);

function describe(t: Token): string {
  if (t.kind === 'eof') return `unexpected end of expression at position ${t.pos}`;
  if (t.kind === 'word' && RESERVED.has(t.value.toLowerCase())) return `unexpected keyword '${t.text}' at position ${t.pos}`;
  return `unexpected token '${t.text}' at position ${t.pos}`;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.i];
  }

  private next(): Token {
    return this.toks[this.i++];
  }

  private isWord(t: Token, w: string): boolean {
    return t.kind === 'word' && t.value.toLowerCase() === w;
  }

  parse(): Node {
    const node = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') {
      if (t.kind === ')') fail(`${describe(t)}; there is no matching '('`);
      fail(`${describe(t)}; expected 'and', 'or' or the end of the expression`);
    }
    return node;
  }

  private parseOr(): Node {
    const items = [this.parseAnd()];
    for (;;) {
      const t = this.peek();
      if ((t.kind === 'op' && t.value === '||') || this.isWord(t, 'or')) {
        this.next();
        items.push(this.parseAnd());
      } else break;
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  private parseAnd(): Node {
    const items = [this.parseUnary()];
    for (;;) {
      const t = this.peek();
      if ((t.kind === 'op' && t.value === '&&') || this.isWord(t, 'and')) {
        this.next();
        items.push(this.parseUnary());
      } else break;
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private parseUnary(): Node {
    const t = this.peek();
    if (t.kind === '!' || this.isWord(t, 'not')) {
      this.next();
      return { kind: 'not', item: this.parseUnary() };
    }
    if (t.kind === '(') {
      this.next();
      const inner = this.parseOr();
      const close = this.next();
      if (close.kind !== ')') {
        fail(`${describe(close)}; expected ')' to close the '(' at position ${t.pos}`);
      }
      return inner;
    }
    return this.parseComparison();
  }

  private parseSubject(): Subject {
    const t = this.next();
    if (t.kind !== 'word' || RESERVED.has(t.value.toLowerCase())) {
      fail(`${describe(t)}; expected a subject (${SUBJECT_LIST}), '(' or 'not'`);
    }
    const lower = t.value.toLowerCase();
    if (lower.startsWith('attribute:')) {
      const name = t.value.slice('attribute:'.length);
      if (!name) fail(`missing attribute name after 'attribute:' at position ${t.pos}; expected attribute:<name>`);
      return { kind: 'attribute', name, text: t.text };
    }
    const kind = SUBJECTS[lower];
    if (!kind) {
      const hint = lower.includes('.') ? ` (attribute names need the 'attribute:' prefix, e.g. attribute:${t.value})` : '';
      fail(`unknown subject '${t.text}' at position ${t.pos}; expected a subject (${SUBJECT_LIST})${hint}`);
    }
    return { kind, name: '', text: t.text };
  }

  private parseOperator(subject: Subject): { op: Op; text: string; pos: number } {
    const t = this.next();
    if (t.kind === 'op') {
      const op = SYMBOL_OPS[t.value];
      if (op) return { op, text: t.value, pos: t.pos };
    } else if (t.kind === '!') {
      const w = this.peek();
      if (this.isWord(w, 'exists')) {
        this.next();
        return { op: 'nexists', text: '!exists', pos: t.pos };
      }
      if (this.isWord(w, 'in')) {
        this.next();
        return { op: 'nin', text: '!in', pos: t.pos };
      }
    } else if (t.kind === 'word') {
      const op = WORD_OPS[t.value.toLowerCase()];
      if (op) return { op, text: t.text, pos: t.pos };
    }
    return fail(`${describe(t)}; expected an operator (${OPERATOR_LIST}) after '${subject.text}'`);
  }

  private parseValue(after: string): Value {
    const t = this.next();
    if (t.kind === 'string' || (t.kind === 'word' && !RESERVED.has(t.value.toLowerCase()))) {
      return { value: t.value, pos: t.pos };
    }
    return fail(`${describe(t)}; expected a value after ${after}`);
  }

  private parseComparison(): Node {
    const subject = this.parseSubject();
    const { op, text, pos } = this.parseOperator(subject);
    let args: Value[] = [];
    if (op === 'in' || op === 'nin') {
      const open = this.next();
      if (open.kind !== '[') fail(`${describe(open)}; expected '[' to start the list after '${text}'`);
      args.push(this.parseValue(`'['`));
      for (;;) {
        const t = this.next();
        if (t.kind === ']') break;
        if (t.kind !== ',') fail(`${describe(t)}; expected ',' or ']' to close the list opened at position ${open.pos}`);
        args.push(this.parseValue(`','`));
      }
    } else if (op !== 'exists' && op !== 'nexists') {
      args = [this.parseValue(`'${text}'`)];
    }
    return { kind: 'cmp', subject, op, opText: text, opPos: pos, args };
  }
}

// ---------------------------------------------------------------------------------------------
// Values

const NUM_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const VERSION_RE = /^v?\d+(\.\d+)*$/;
const DATE_ONLY_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?$/;
const DAY_MS = 86_400_000;

function parseNum(s: string): number | undefined {
  return NUM_RE.test(s) ? Number(s) : undefined;
}

function parseVersion(s: string): number[] | undefined {
  if (!VERSION_RE.test(s)) return undefined;
  return (s[0] === 'v' ? s.slice(1) : s).split('.').map(Number);
}

function compareVersions(a: number[], b: number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function validDay(ymd: string): boolean {
  const ms = Date.parse(`${ymd}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === ymd;
}

/** Epoch ms of an ISO date or timestamp (UTC unless an offset is given); undefined if not a date. */
function parseDate(s: string): { ms: number; dateOnly: boolean } | undefined {
  if (DATE_ONLY_RE.test(s)) {
    const ms = Date.parse(`${s}T00:00:00Z`);
    return validDay(s) ? { ms, dateOnly: true } : undefined;
  }
  if (DATE_TIME_RE.test(s)) {
    let iso = s.replace(' ', 'T');
    if (!/([Zz]|[+-]\d{2}(:?\d{2})?)$/.test(iso)) iso += 'Z';
    else iso = iso.replace(/([+-]\d{2})(\d{2})$/, '$1:$2').replace(/([+-]\d{2})$/, '$1:00');
    const ms = Date.parse(iso);
    // Reject calendar overflow such as 2018-02-30 (some engines roll it over to March).
    if (Number.isNaN(ms) || !validDay(s.slice(0, 10))) return undefined;
    return { ms, dateOnly: false };
  }
  return undefined;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

/** A precompiled argument. */
interface Arg {
  raw: string;
  num?: number;
  ver?: number[];
  date?: { ms: number; dateOnly: boolean };
  glob?: RegExp;
}

function compileArg(v: Value, allowGlob: boolean): Arg {
  const a: Arg = { raw: v.value, num: parseNum(v.value), ver: parseVersion(v.value), date: parseDate(v.value) };
  if (allowGlob && v.value.includes('*')) a.glob = globToRegExp(v.value);
  return a;
}

/** Equality of a string value against a precompiled argument. */
function eqString(s: string, a: Arg, versions: boolean): boolean {
  if (a.glob) return a.glob.test(s);
  if (s === a.raw) return true;
  if (a.num !== undefined) {
    const n = parseNum(s);
    if (n !== undefined) return n === a.num;
  }
  if (versions && a.ver) {
    const v = parseVersion(s);
    if (v) return compareVersions(v, a.ver) === 0;
  }
  return false;
}

/** Ordering of a string value against a precompiled argument (sign of value - argument). */
function cmpString(s: string, a: Arg, versions: boolean): number {
  if (versions && a.ver) {
    const v = parseVersion(s);
    if (v) return compareVersions(v, a.ver);
  }
  if (a.num !== undefined) {
    const n = parseNum(s);
    if (n !== undefined) return n - a.num;
  }
  if (a.date) {
    const d = parseDate(s);
    if (d) return d.ms - a.date.ms;
  }
  return s < a.raw ? -1 : s > a.raw ? 1 : 0;
}

function ordered(op: Op, c: number): boolean {
  switch (op) {
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
    case 'lt':
      return c < 0;
    default:
      return c <= 0;
  }
}

function regexArg(v: Value): RegExp {
  try {
    return new RegExp(`^(?:${v.value})$`);
  } catch (e) {
    const why = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    return fail(`invalid regular expression '${v.value}' at position ${v.pos}: ${why}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Compiler

/**
 * The value of an attribute: a string, null (present without a value) or undefined (absent).
 * Inherited Object.prototype members are not attributes.
 */
export function attributeValue(attrs: Record<string, string | null>, name: string): string | null | undefined {
  const v = attrs[name];
  return typeof v === 'string' || v === null ? v : undefined;
}

function positive(op: Op): Op {
  switch (op) {
    case 'ne':
      return 'eq';
    case 'nexists':
      return 'exists';
    case 'nin':
      return 'in';
    case 'nmatch':
      return 'match';
    default:
      return op;
  }
}

function negate(t: Test): Test {
  return (inst, g, x) => !t(inst, g, x);
}

/** A predicate over one string value (the subject's value), for value operators. */
function stringPredicate(node: Extract<Node, { kind: 'cmp' }>, op: Op, versions: boolean): (s: string) => boolean {
  switch (op) {
    case 'eq': {
      const a = compileArg(node.args[0], true);
      return (s) => eqString(s, a, versions);
    }
    case 'in': {
      const as = node.args.map((v) => compileArg(v, true));
      return (s) => {
        for (let k = 0; k < as.length; k++) if (eqString(s, as[k], versions)) return true;
        return false;
      };
    }
    case 'match': {
      const re = regexArg(node.args[0]);
      return (s) => re.test(s);
    }
    default: {
      const a = compileArg(node.args[0], false);
      return (s) => ordered(op, cmpString(s, a, versions));
    }
  }
}

function compileCmp(node: Extract<Node, { kind: 'cmp' }>): { test: Test; dynamic: boolean } {
  const neg = node.op !== positive(node.op);
  const op = positive(node.op);
  const { subject } = node;
  const unsupported = (): never =>
    fail(`operator '${node.opText}' at position ${node.opPos} cannot be used with subject '${subject.text}'`);
  let test: Test;
  let dynamic = false;

  switch (subject.kind) {
    case 'attribute': {
      const name = subject.name;
      if (op === 'exists') {
        test = (inst) => attributeValue(inst.attributes, name) !== undefined;
      } else {
        const p = stringPredicate(node, op, false);
        test = (inst) => {
          const v = inst.attributes[name];
          return typeof v === 'string' && p(v);
        };
      }
      break;
    }
    case 'agentVersion':
    case 'ec2InstanceId': {
      const get = subject.kind === 'agentVersion' ? (i: InstanceView) => i.agentVersion : (i: InstanceView) => i.ec2InstanceId;
      if (op === 'exists') {
        test = (inst) => !!get(inst);
      } else {
        const p = stringPredicate(node, op, subject.kind === 'agentVersion');
        test = (inst) => {
          const v = get(inst);
          return v !== undefined && v !== null && v !== '' && p(v);
        };
      }
      break;
    }
    case 'agentConnected': {
      if (op === 'exists') {
        test = () => true;
        break;
      }
      if (op !== 'eq' && op !== 'in') unsupported();
      const wanted = node.args.map((v) => {
        const b = v.value.toLowerCase();
        if (b !== 'true' && b !== 'false') fail(`invalid value '${v.value}' at position ${v.pos}; expected true or false for agentConnected`);
        return b === 'true';
      });
      const t = wanted.includes(true);
      const f = wanted.includes(false);
      test = (inst) => (inst.agentConnected ? t : f);
      break;
    }
    case 'runningTasksCount': {
      dynamic = true;
      if (op === 'exists') {
        test = () => true;
        break;
      }
      if (op === 'match') {
        const re = regexArg(node.args[0]);
        test = (inst, _g, x) => re.test(String(inst.tasks.length + x));
        break;
      }
      const nums = node.args.map((v) => {
        const n = parseNum(v.value);
        if (n === undefined) fail(`invalid value '${v.value}' at position ${v.pos}; expected a number for runningTasksCount`);
        return n;
      });
      if (op === 'eq' || op === 'in') {
        test = (inst, _g, x) => nums.includes(inst.tasks.length + x);
      } else {
        const n0 = nums[0];
        test = (inst, _g, x) => ordered(op, inst.tasks.length + x - n0);
      }
      break;
    }
    case 'registeredAt': {
      if (op === 'exists') {
        test = () => true;
        break;
      }
      if (op === 'match') {
        const re = regexArg(node.args[0]);
        test = (inst) => Number.isFinite(inst.registeredAt) && re.test(new Date(inst.registeredAt).toISOString());
        break;
      }
      const dates = node.args.map((v) => {
        const d = parseDate(v.value);
        if (d) return d;
        const n = /^\d+$/.test(v.value) ? Number(v.value) : undefined;
        if (n !== undefined) return { ms: n, dateOnly: false };
        return fail(
          `invalid date '${v.value}' at position ${v.pos}; expected a date such as 2018-01-01, an ISO 8601 timestamp such as 2018-01-01T12:00:00Z, or epoch milliseconds`,
        );
      });
      if (op === 'eq' || op === 'in') {
        test = (inst) => {
          const t = inst.registeredAt;
          for (const d of dates) {
            if (d.dateOnly ? t >= d.ms && t < d.ms + DAY_MS : t === d.ms) return true;
          }
          return false;
        };
      } else {
        const ms = dates[0].ms;
        test = (inst) => Number.isFinite(inst.registeredAt) && ordered(op, inst.registeredAt - ms);
      }
      break;
    }
    case 'taskGroup': {
      dynamic = true;
      if (op === 'exists') {
        test = (inst, g, x) => inst.tasks.length + x > 0 || (g !== undefined && g.length > 0);
        break;
      }
      if (op !== 'eq' && op !== 'in' && op !== 'match') unsupported();
      const p = stringPredicate(node, op, false);
      test = (inst, g) => {
        const tasks = inst.tasks;
        for (let k = 0; k < tasks.length; k++) if (p(tasks[k].group)) return true;
        if (g) for (let k = 0; k < g.length; k++) if (p(g[k])) return true;
        return false;
      };
      break;
    }
  }
  return { test: neg ? negate(test) : test, dynamic };
}

function compileNode(node: Node): { test: Test; dynamic: boolean } {
  switch (node.kind) {
    case 'cmp':
      return compileCmp(node);
    case 'not': {
      const inner = compileNode(node.item);
      return { test: negate(inner.test), dynamic: inner.dynamic };
    }
    case 'and':
    case 'or': {
      const parts = node.items.map(compileNode);
      const tests = parts.map((p) => p.test);
      const dynamic = parts.some((p) => p.dynamic);
      const n = tests.length;
      if (node.kind === 'and') {
        if (n === 2) {
          const [a, b] = tests;
          return { test: (i, g, x) => a(i, g, x) && b(i, g, x), dynamic };
        }
        return {
          test: (i, g, x) => {
            for (let k = 0; k < n; k++) if (!tests[k](i, g, x)) return false;
            return true;
          },
          dynamic,
        };
      }
      if (n === 2) {
        const [a, b] = tests;
        return { test: (i, g, x) => a(i, g, x) || b(i, g, x), dynamic };
      }
      return {
        test: (i, g, x) => {
          for (let k = 0; k < n; k++) if (tests[k](i, g, x)) return true;
          return false;
        },
        dynamic,
      };
    }
  }
}

/**
 * Parse and compile a CQL expression. Throws `EcsError(InvalidParameterException, …, 'expression')`
 * naming the offending token, its 0-based position and what was expected.
 */
export function compileCql(expression: string): CompiledCql {
  if (typeof expression !== 'string') fail('expression must be a string');
  if (expression.length > MAX_CQL_LENGTH) {
    fail(`expression is ${expression.length} characters long; the maximum is ${MAX_CQL_LENGTH}`);
  }
  if (expression.trim() === '') fail('expression is empty; expected a subject such as attribute:<name>');
  const ast = new Parser(tokenize(expression)).parse();
  const { test, dynamic } = compileNode(ast);
  return { expression, dynamic, test };
}

/** Evaluate a compiled expression against an instance (plus this request's earlier placements). */
export function evaluateCql(c: CompiledCql, inst: InstanceView, ctx?: CqlContext): boolean {
  return c.test(inst, ctx?.additionalGroups, ctx?.additionalRunningTasks ?? 0);
}
