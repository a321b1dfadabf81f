/**
 * The arithmetic part of CloudWatch metric math (`m1 / m2`, `(m1 + m2) * 100`, `m1 ^ 2`): the operators
 * the Application Auto Scaling metric-math guide lists (+ - * / ^) over metric ids and numbers. Functions
 * (FILL, SUM, IF, ...) are recognised as such and reported as not simulated, never evaluated as something
 * else. https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 * Pure; bounded (expressions are at most 2048 characters, the API's limit).
 */

export type MathNode =
  | { op: 'num'; value: number }
  | { op: 'id'; id: string }
  | { op: '+' | '-' | '*' | '/' | '^'; left: MathNode; right: MathNode }
  | { op: 'neg'; arg: MathNode };

export type ParsedExpression = { ast: MathNode; ids: string[] } | { error: string; unsupported?: boolean };

const MAX_EXPRESSION = 2048;
const MAX_DEPTH = 64;
const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\S))/y;

/** Parses `text`; ids are metric ids (`m1`), a name followed by `(` is a function (not simulated). */
export function parseExpression(text: string): ParsedExpression {
  if (text.length > MAX_EXPRESSION) return { error: `The expression is longer than ${MAX_EXPRESSION} characters.` };
  const tokens: Array<{ kind: 'num' | 'name' | 'sym'; text: string }> = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    if (m[1] !== undefined) tokens.push({ kind: 'num', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'name', text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'sym', text: m[3] });
    if (TOKEN.lastIndex >= text.length) break;
  }
  if (tokens.length === 0) return { error: 'The expression is empty.' };
  let i = 0;
  const ids = new Set<string>();
  const fail = (msg: string): never => {
    throw new SyntaxError(msg);
  };
  const peek = () => tokens[i];
  const expect = (sym: string) => (peek()?.text === sym ? i++ : fail(`Expected '${sym}' in the expression.`));
  // precedence climbing: + - < * / < unary - < ^ (right-associative)
  const sum = (d: number): MathNode => {
    if (d > MAX_DEPTH) fail('The expression nests too deeply.');
    let left = product(d + 1);
    while (peek()?.kind === 'sym' && (peek().text === '+' || peek().text === '-')) {
      const op = tokens[i++].text as '+' | '-';
      left = { op, left, right: product(d + 1) };
    }
    return left;
  };
  const product = (d: number): MathNode => {
    let left = unary(d + 1);
    while (peek()?.kind === 'sym' && (peek().text === '*' || peek().text === '/')) {
      const op = tokens[i++].text as '*' | '/';
      left = { op, left, right: unary(d + 1) };
    }
    return left;
  };
  const unary = (d: number): MathNode => {
    if (d > MAX_DEPTH) fail('The expression nests too deeply.');
    if (peek()?.text === '-') {
      i++;
      return { op: 'neg', arg: unary(d + 1) };
    }
    return power(d + 1);
  };
  const power = (d: number): MathNode => {
    const base = atom(d + 1);
    if (peek()?.text === '^') {
      i++;
      return { op: '^', left: base, right: unary(d + 1) };
    }
    return base;
  };
  const atom = (d: number): MathNode => {
    const t = tokens[i++];
    if (!t) return fail('The expression ends too early.');
    if (t.kind === 'num') return { op: 'num', value: Number(t.text) };
    if (t.kind === 'name') {
      if (peek()?.text === '(') throw new UnsupportedFunction(t.text);
      ids.add(t.text);
      return { op: 'id', id: t.text };
    }
    if (t.text === '(') {
      const inner = sum(d + 1);
      expect(')');
      return inner;
    }
    return fail(`Unexpected '${t.text}' in the expression.`);
  };
  try {
    const ast = sum(0);
    if (i < tokens.length) fail(`Unexpected '${tokens[i].text}' in the expression.`);
    return { ast, ids: [...ids] };
  } catch (e) {
    if (e instanceof UnsupportedFunction) return { error: `metric math function ${e.fn}() is not simulated by ecsplane; it evaluates + - * / ^ over metric ids and numbers`, unsupported: true };
    return { error: (e as Error).message };
  }
}

class UnsupportedFunction extends Error {
  constructor(readonly fn: string) {
    super(fn);
  }
}

/**
 * The expression's value for one period; null (missing data) when an input is missing or the result is
 * not a finite number (a division by zero: ecsplane drops that datapoint, see docs/queues.md).
 */
export function evaluateExpression(ast: MathNode, value: (id: string) => number | null): number | null {
  const ev = (n: MathNode): number | null => {
    switch (n.op) {
      case 'num':
        return n.value;
      case 'id':
        return value(n.id);
      case 'neg': {
        const a = ev(n.arg);
        return a === null ? null : -a;
      }
      default: {
        const a = ev(n.left);
        const b = ev(n.right);
        if (a === null || b === null) return null;
        const r = n.op === '+' ? a + b : n.op === '-' ? a - b : n.op === '*' ? a * b : n.op === '/' ? a / b : a ** b;
        return Number.isFinite(r) ? r : null;
      }
    }
  };
  return ev(ast);
}
