/**
 * A minimal XML reader for the SVG Vega writes (elements, attributes, text; no DTD, CDATA or
 * comments), so tests can check a chart's structure. Throws on a tag that does not close.
 */
export interface SvgNode {
  tag: string;
  attrs: Record<string, string>;
  children: SvgNode[];
  text: string;
}

const unescapeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

export function parseSvg(xml: string): SvgNode {
  const root: SvgNode = { tag: '#root', attrs: {}, children: [], text: '' };
  const stack: SvgNode[] = [root];
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(xml))) {
    if (m.index !== consumed) throw new Error(`not well-formed at offset ${consumed}: ${xml.slice(consumed, consumed + 40)}`);
    consumed = re.lastIndex;
    const [, close, tag, attrText, selfClose, text] = m;
    const top = stack[stack.length - 1];
    if (text !== undefined) {
      top.text += unescapeXml(text);
      continue;
    }
    if (close) {
      if (top.tag !== tag) throw new Error(`</${tag}> closes <${top.tag}>`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]] = unescapeXml(a[2]);
    const node: SvgNode = { tag, attrs, children: [], text: '' };
    top.children.push(node);
    if (!selfClose) stack.push(node);
  }
  if (consumed !== xml.length) throw new Error(`not well-formed at offset ${consumed}`);
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1].tag}> never closes`);
  if (root.children.length !== 1) throw new Error('expected one root element');
  return root.children[0];
}

export function* walk(n: SvgNode): Generator<SvgNode> {
  yield n;
  for (const c of n.children) yield* walk(c);
}

/** Elements whose class list contains every one of `classes`. */
export function byClass(n: SvgNode, ...classes: string[]): SvgNode[] {
  return [...walk(n)].filter((e) => {
    const cl = (e.attrs.class ?? '').split(/\s+/);
    return classes.every((c) => cl.includes(c));
  });
}

/** All text under a node, one entry per <text> element. */
export function texts(n: SvgNode): string[] {
  return [...walk(n)].filter((e) => e.tag === 'text').map((e) => e.text.trim());
}
