/** Kubernetes equality/set-based label selectors: `a=b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`. */
export function matchesSelector(selector: string, labels: Record<string, string> = {}): boolean {
  return parseSelector(selector).every((req) => req(labels));
}

type Requirement = (labels: Record<string, string>) => boolean;

export function parseSelector(selector: string): Requirement[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((raw) => {
    const p = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const [, key, op, list] = m;
      const values = list.split(',').map((v) => v.trim());
      return op === 'in' ? (l) => values.includes(l[key]) : (l) => !values.includes(l[key]);
    }
    if ((m = p.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/))) {
      const [, key, op, value] = m;
      return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
    }
    if ((m = p.match(/^!([\w./-]+)$/))) return (l) => !(m![1] in l);
    if ((m = p.match(/^([\w./-]+)$/))) return (l) => m![1] in l;
    throw new Error(`invalid label selector ${JSON.stringify(selector)}: cannot parse ${JSON.stringify(p)}`);
  });
}
