/**
 * `ecsplane compare`: every variant simulated with the same seed and length, then one table of the
 * figures that tell them apart (controllers/simulation/summary.ts) or the same as JSON.
 */
import { parse as parseYaml } from './yaml.js';
import { DEFAULT_PRICING, mergePricing, PricingError, type Pricing } from '../../api/pricing.js';
import { simulate, splitScenario, type SimulateOptions, type SimulationResult } from '../simulation/runner.js';
import { renderComparison } from './compare-output.js';
import { readManifestFile } from './manifests.js';
import { expandSets, loadVariant, parseSet, MAX_VARIANTS, VariantError, type Variant } from './variants.js';

export interface CompareOptions extends Omit<SimulateOptions, 'pricing'> {
  set?: string[];
  pairwise?: boolean;
  /** Column names for the variants, in order. */
  names?: string[];
  pricing?: string;
  output: 'table' | 'json' | 'html';
}

/** The default price list, with a --pricing file (JSON or YAML) laid over it. */
export function loadPricing(path: string | undefined): Pricing {
  if (!path) return DEFAULT_PRICING;
  let doc: unknown;
  try {
    doc = parseYaml(readManifestFile(path));
  } catch (e) {
    if (e instanceof PricingError) throw e;
    throw new PricingError(`--pricing ${path}: ${(e as Error).message}`);
  }
  return mergePricing(DEFAULT_PRICING, doc, `--pricing ${path}`);
}

export function compareVariants(paths: string[], opts: CompareOptions): Variant[] {
  const sets = (opts.set ?? []).map(parseSet);
  const loaded = paths.map((p) => loadVariant(p));
  const variants = loaded.flatMap((v) => expandSets(v, sets, Boolean(opts.pairwise), loaded.length > 1));
  if (variants.length < 2) {
    throw new VariantError('compare needs at least two variants: give two or more files (or Variant files), or --set with two or more values');
  }
  if (variants.length > MAX_VARIANTS) throw new VariantError(`compare runs at most ${MAX_VARIANTS} variants (got ${variants.length})`);
  if (opts.names) {
    if (opts.names.length !== variants.length) throw new VariantError(`--names gives ${opts.names.length} names for ${variants.length} variants (${variants.map((v) => v.name).join(' | ')})`);
    variants.forEach((v, i) => (v.name = opts.names![i]));
  }
  const names = new Set<string>();
  for (const v of variants) {
    let name = v.name;
    for (let i = 2; names.has(name); i++) name = `${v.name}#${i}`;
    names.add(name);
    v.name = name;
  }
  return variants;
}

/**
 * One seed and one length for every variant: --seed / --until, else the first Scenario seed given and
 * the longest Scenario `until` (so no variant is cut short), else simulate's defaults (1, 30m).
 */
export function commonRun(variants: Variant[], opts: Pick<CompareOptions, 'seed' | 'untilMs'>): { seed: number; untilMs: number } {
  const scenarios = variants.map((v) => {
    try {
      return splitScenario(v.docs).scenario;
    } catch (e) {
      throw new VariantError(`variant ${v.name}: ${(e as Error).message}`);
    }
  });
  const untils = scenarios.map((s) => s?.untilMs).filter((u): u is number => u !== undefined);
  return {
    seed: opts.seed ?? scenarios.find((s) => s?.seed !== undefined)?.seed ?? 1,
    untilMs: opts.untilMs ?? (untils.length ? Math.max(...untils) : 30 * 60_000),
  };
}

export async function runCompare(paths: string[], opts: CompareOptions): Promise<string> {
  const pricing = loadPricing(opts.pricing);
  const variants = compareVariants(paths, opts);
  const { seed, untilMs } = commonRun(variants, opts);
  const runs: Array<{ name: string; result: SimulationResult }> = variants.map((v) => {
    try {
      return { name: v.name, result: simulate(v.docs, { untilMs, seed, sampleEveryMs: opts.sampleEveryMs, pricing }) };
    } catch (e) {
      throw new VariantError(`variant ${v.name}: ${(e as Error).message}`);
    }
  });
  if (opts.output === 'html') {
    // One report, the variants' charts aligned on one time axis (Vega loads only for charts).
    const report = await import('./report/index.js');
    return report.renderHtmlReport(runs, { title: `ecsplane compare ${runs.map((r) => r.name).join(' vs ')} (seed ${seed})` });
  }
  const summaries = runs.map((r) => ({ name: r.name, summary: r.result.summary }));
  return opts.output === 'json' ? JSON.stringify({ seed, variants: summaries }, null, 2) + '\n' : renderComparison(summaries, seed);
}
