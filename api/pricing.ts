/**
 * The price list `simulate` and `compare` cost runs with: Fargate per vCPU-hour and GB-hour by CPU
 * architecture (on-demand and Spot), Fargate ephemeral storage above the included 20 GB, and EC2
 * on-demand per instance type. The default is api/pricing/us-east-1.json (its sources, date and which
 * figures are confirmed are in the file); `--pricing FILE` overrides any part of it.
 * Pure data and validation: no I/O.
 */
import defaultFile from './pricing/us-east-1.json' with { type: 'json' };

export type FargateArchitecture = 'X86_64' | 'ARM64';

export interface FargateRate {
  vcpuHour: number;
  gbHour: number;
}

export interface Pricing {
  region: string;
  currency: string;
  date: string;
  sources: Record<string, string>;
  confirmation: string[];
  fargate: Record<FargateArchitecture, FargateRate>;
  /** Fargate Spot runs Linux X86_64 tasks only. */
  fargateSpot: { X86_64: FargateRate };
  fargateEphemeralStorageGbHour: number;
  fargateIncludedEphemeralStorageGb: number;
  ec2OnDemandHour: Record<string, number>;
}

export class PricingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PricingError';
  }
}

const ARCHS: FargateArchitecture[] = ['X86_64', 'ARM64'];
const TOP_FIELDS = ['region', 'currency', 'date', 'sources', 'confirmation', 'fargate', 'fargateSpot', 'fargateEphemeralStorageGbHour', 'fargateIncludedEphemeralStorageGb', 'ec2OnDemandHour'];

function price(v: unknown, field: string, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new PricingError(`${where}: ${field} must be a number ≥ 0 (got ${JSON.stringify(v)})`);
  return v;
}

function rates<R extends Partial<Record<FargateArchitecture, FargateRate>>>(v: unknown, base: R, field: string, where: string, archs: FargateArchitecture[] = ARCHS): R {
  if (v === undefined) return base;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new PricingError(`${where}: ${field} must be an object keyed by X86_64 / ARM64`);
  const out = { ...base };
  for (const [arch, r] of Object.entries(v as Record<string, any>)) {
    if (!archs.includes(arch as FargateArchitecture)) throw new PricingError(`${where}: ${field}.${arch}: unknown architecture (expected ${archs.join(' or ')})`);
    if (!r || typeof r !== 'object') throw new PricingError(`${where}: ${field}.${arch} must be {vcpuHour, gbHour}`);
    for (const k of Object.keys(r)) if (k !== 'vcpuHour' && k !== 'gbHour') throw new PricingError(`${where}: ${field}.${arch}.${k}: unknown field (expected vcpuHour, gbHour)`);
    const prev = base[arch as FargateArchitecture]!;
    out[arch as FargateArchitecture] = {
      vcpuHour: r.vcpuHour === undefined ? prev.vcpuHour : price(r.vcpuHour, `${field}.${arch}.vcpuHour`, where),
      gbHour: r.gbHour === undefined ? prev.gbHour : price(r.gbHour, `${field}.${arch}.gbHour`, where),
    };
  }
  return out;
}

/**
 * `overrides` (a parsed --pricing file) laid over `base`: every field is optional; EC2 instance types
 * are added or replaced one by one. A wrong field is an error naming it (`where` names the file).
 */
export function mergePricing(base: Pricing, overrides: unknown, where: string): Pricing {
  if (!overrides || typeof overrides !== 'object' || Array.isArray(overrides)) throw new PricingError(`${where}: a pricing file is a JSON or YAML object`);
  const o = overrides as Record<string, any>;
  for (const k of Object.keys(o)) if (!TOP_FIELDS.includes(k)) throw new PricingError(`${where}: ${k}: unknown field (expected one of ${TOP_FIELDS.join(', ')})`);
  const ec2 = { ...base.ec2OnDemandHour };
  if (o.ec2OnDemandHour !== undefined) {
    if (!o.ec2OnDemandHour || typeof o.ec2OnDemandHour !== 'object') throw new PricingError(`${where}: ec2OnDemandHour must map instance types to prices per hour`);
    for (const [type, p] of Object.entries(o.ec2OnDemandHour)) ec2[type] = price(p, `ec2OnDemandHour.${type}`, where);
  }
  const str = (k: string) => {
    if (o[k] !== undefined && typeof o[k] !== 'string') throw new PricingError(`${where}: ${k} must be a string`);
    return o[k] as string | undefined;
  };
  return {
    region: str('region') ?? base.region,
    currency: str('currency') ?? base.currency,
    date: str('date') ?? base.date,
    sources: o.sources !== undefined ? { ...base.sources, ...o.sources } : base.sources,
    confirmation: Array.isArray(o.confirmation) ? o.confirmation.map(String) : base.confirmation,
    fargate: rates(o.fargate, base.fargate, 'fargate', where),
    fargateSpot: rates(o.fargateSpot, base.fargateSpot, 'fargateSpot', where, ['X86_64']),
    fargateEphemeralStorageGbHour: o.fargateEphemeralStorageGbHour === undefined ? base.fargateEphemeralStorageGbHour : price(o.fargateEphemeralStorageGbHour, 'fargateEphemeralStorageGbHour', where),
    fargateIncludedEphemeralStorageGb:
      o.fargateIncludedEphemeralStorageGb === undefined ? base.fargateIncludedEphemeralStorageGb : price(o.fargateIncludedEphemeralStorageGb, 'fargateIncludedEphemeralStorageGb', where),
    ec2OnDemandHour: ec2,
  };
}

/** us-east-1, as shipped (api/pricing/us-east-1.json). */
export const DEFAULT_PRICING: Pricing = Object.freeze(defaultFile as Pricing);
