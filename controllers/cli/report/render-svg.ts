/**
 * Vega-Lite spec → static SVG, in Node: compiled by vega-lite, rendered by Vega's headless View
 * (`renderer: 'none'`, `toSVG()`), no browser or canvas involved. Marks that carry hover text
 * (events, scaling activities, Gantt bars) get an SVG `<title>`, which browsers show on hover
 * without any script.
 */
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { VlSpec } from './specs.js';

export async function renderSvg(spec: VlSpec): Promise<string> {
  const view = new View(parse(compile(spec as any).spec), { renderer: 'none', logLevel: 0 });
  try {
    return withHoverTitles(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * `<path aria-label="TEXT" role="graphics-symbol" …/>` → `<path …><title>TEXT</title></path>`.
 * Only marks whose spec sets `aria: true` have a label (the specs turn aria off elsewhere); the
 * label is already XML-escaped by Vega.
 */
export function withHoverTitles(svg: string): string {
  return svg.replace(/<(path|rect|line|circle)\b([^>]*?)\saria-label="([^"]*)"([^>]*?)\/>/g, (_m, tag: string, before: string, label: string, after: string) => {
    return `<${tag}${before}${after}><title>${label}</title></${tag}>`;
  });
}
