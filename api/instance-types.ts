/**
 * A static table of common EC2 instance types, and the resources the ECS container agent registers for
 * them. Pure data plus pure functions: no I/O, no clock.
 *
 * Sources: vCPU/memory from the EC2 instance type pages; max ENIs from the EC2 "IP addresses per network
 * interface per instance type" table (cross-checked with amazon-eks-ami `eni-max-pods.txt`, where
 * maxPods = ENIs × (IPv4 per ENI − 1) + 2). The registered-memory rule is documented in docs/scaling.md
 * ("Registered container-instance resources").
 */

export type CpuArchitecture = 'x86_64' | 'arm64';

export interface InstanceTypeInfo {
  /** e.g. `m5.large` */
  readonly name: string;
  readonly vcpu: number;
  /** Installed memory, MiB (GiB × 1024). */
  readonly memoryMiB: number;
  readonly architecture: CpuArchitecture;
  /** Maximum network interfaces, including the primary one. */
  readonly maxEnis: number;
}

/** Resources the ECS agent registers for a container instance of a given type. */
export interface RegisteredResources {
  /** `CPU` resource: vCPU × 1024. */
  readonly cpu: number;
  /** `MEMORY` resource, MiB: installed memory minus the OS/kernel overhead and ECS_RESERVED_MEMORY. */
  readonly memory: number;
  /** ENIs available to awsvpc tasks: maxEnis − 1 (the primary ENI belongs to the instance); no trunking. */
  readonly taskEnis: number;
}

/** The agent's default reserved TCP ports (`ECS_RESERVED_PORTS`). */
export const DEFAULT_RESERVED_TCP_PORTS: readonly number[] = Object.freeze([22, 2375, 2376, 51678, 51679]);

type Row = readonly [size: string, vcpu: number, memoryGiB: number, maxEnis: number];

/** Burstable sizes (t2/t3/t3a/t4g share vCPU and memory by size; ENIs differ slightly). */
const T_SIZES: readonly Row[] = [
  ['nano', 2, 0.5, 2],
  ['micro', 2, 1, 2],
  ['small', 2, 2, 3],
  ['medium', 2, 4, 3],
  ['large', 2, 8, 3],
  ['xlarge', 4, 16, 4],
  ['2xlarge', 8, 32, 4],
];

const T2_SIZES: readonly Row[] = [
  ['nano', 1, 0.5, 2],
  ['micro', 1, 1, 2],
  ['small', 1, 2, 3],
  ['medium', 2, 4, 3],
  ['large', 2, 8, 3],
  ['xlarge', 4, 16, 3],
  ['2xlarge', 8, 32, 3],
];

/** t3a.small has 2 ENIs where t3.small has 3. */
const T3A_SIZES: readonly Row[] = T_SIZES.map((r) => (r[0] === 'small' ? ([r[0], r[1], r[2], 2] as const) : r));

/** General purpose (m): 4 GiB per vCPU. */
const M_SIZES: readonly Row[] = [
  ['large', 2, 8, 3],
  ['xlarge', 4, 16, 4],
  ['2xlarge', 8, 32, 4],
  ['4xlarge', 16, 64, 8],
];

/** Compute optimised (c): 2 GiB per vCPU. */
const C_SIZES: readonly Row[] = [
  ['large', 2, 4, 3],
  ['xlarge', 4, 8, 4],
  ['2xlarge', 8, 16, 4],
  ['4xlarge', 16, 32, 8],
];

/** Memory optimised (r): 8 GiB per vCPU. */
const R_SIZES: readonly Row[] = [
  ['large', 2, 16, 3],
  ['xlarge', 4, 32, 4],
  ['2xlarge', 8, 64, 4],
  ['4xlarge', 16, 128, 8],
];

const FAMILIES: readonly [family: string, architecture: CpuArchitecture, sizes: readonly Row[]][] = [
  ['t2', 'x86_64', T2_SIZES],
  ['t3', 'x86_64', T_SIZES],
  ['t3a', 'x86_64', T3A_SIZES],
  ['t4g', 'arm64', T_SIZES],
  ['m5', 'x86_64', M_SIZES],
  ['m6i', 'x86_64', M_SIZES],
  ['m6g', 'arm64', M_SIZES],
  ['m7g', 'arm64', M_SIZES],
  ['c5', 'x86_64', C_SIZES],
  ['c6i', 'x86_64', C_SIZES],
  ['c6g', 'arm64', C_SIZES],
  ['c7g', 'arm64', C_SIZES],
  ['r5', 'x86_64', R_SIZES],
  ['r6i', 'x86_64', R_SIZES],
  ['r6g', 'arm64', R_SIZES],
];

function buildTable(): Readonly<Record<string, InstanceTypeInfo>> {
  const table: Record<string, InstanceTypeInfo> = {};
  for (const [family, architecture, sizes] of FAMILIES) {
    for (const [size, vcpu, memoryGiB, maxEnis] of sizes) {
      const name = `${family}.${size}`;
      table[name] = Object.freeze({ name, vcpu, memoryMiB: memoryGiB * 1024, architecture, maxEnis });
    }
  }
  return Object.freeze(table);
}

/**
 * Task ENIs with the awsvpcTrunking account setting, by size, for the families ECS supports it on
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/eni-trunking-supported-instance-types.html;
 * e.g. "a c5.large instance with awsvpcTrunking has an increased ENI limit of twelve … ten tasks",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-eni.html).
 * Burstable (t) types do not support trunking.
 */
const TRUNKED_TASK_ENIS: Readonly<Record<string, number>> = { large: 10, xlarge: 20, '2xlarge': 40, '4xlarge': 60 };
const TRUNKING_FAMILIES = new Set(['m5', 'm6i', 'm6g', 'm7g', 'c5', 'c6i', 'c6g', 'c7g', 'r5', 'r6i', 'r6g']);

/**
 * ENIs an instance of this type offers awsvpc tasks: maxEnis − 1 (the primary ENI is the
 * instance's), or the trunking table's figure when the instance registered with a trunk ENI.
 * Undefined for an unknown type (no limit is simulated then).
 */
export function taskEniLimit(typeName: string | null | undefined, trunked: boolean): number | undefined {
  const info = typeName ? lookupInstanceType(typeName) : undefined;
  if (!info) return undefined;
  if (trunked && supportsTrunking(info.name)) return TRUNKED_TASK_ENIS[info.name.split('.')[1]];
  return Math.max(0, info.maxEnis - 1);
}

/** Whether ECS attaches a trunk ENI to an instance of this type (a family and size of the trunking table). */
export function supportsTrunking(typeName: string): boolean {
  const [family, size] = typeName.split('.');
  return TRUNKING_FAMILIES.has(family) && size !== undefined && TRUNKED_TASK_ENIS[size] !== undefined && lookupInstanceType(typeName) !== undefined;
}

/** All known instance types by name. */
export const INSTANCE_TYPES: Readonly<Record<string, InstanceTypeInfo>> = buildTable();

/** The instance type called `name` (case-sensitive, as EC2 spells it), or undefined when unknown. */
export function lookupInstanceType(name: string): InstanceTypeInfo | undefined {
  return Object.prototype.hasOwnProperty.call(INSTANCE_TYPES, name) ? INSTANCE_TYPES[name] : undefined;
}

/**
 * Memory (MiB) the OS and kernel keep out of what the agent sees as total memory:
 * `total ≥ 4096 ? 80 + floor(total / 64) : floor(total / 32)`.
 * Fitted to registered values published for the ECS-optimised Amazon Linux AMI
 * (t2.medium 3952, t2.large/m4.large 7984, t2.xlarge 16048, t2.2xlarge 32176, t2.micro 993).
 */
export function osMemoryOverheadMiB(totalMiB: number): number {
  return totalMiB >= 4096 ? 80 + Math.floor(totalMiB / 64) : Math.floor(totalMiB / 32);
}

export interface RegisteredResourcesOptions {
  /** `ECS_RESERVED_MEMORY` (MiB), default 0. */
  reservedMemoryMiB?: number;
}

/**
 * The `CPU`/`MEMORY` resources a container instance of this type registers:
 * CPU = vCPU × 1024; MEMORY = memoryMiB − osMemoryOverheadMiB(memoryMiB) − ECS_RESERVED_MEMORY (≥ 0).
 * Returns undefined for an unknown type name.
 */
export function containerInstanceResources(type: InstanceTypeInfo, options?: RegisteredResourcesOptions): RegisteredResources;
export function containerInstanceResources(
  type: string,
  options?: RegisteredResourcesOptions,
): RegisteredResources | undefined;
export function containerInstanceResources(
  type: string | InstanceTypeInfo,
  options: RegisteredResourcesOptions = {},
): RegisteredResources | undefined {
  const info = typeof type === 'string' ? lookupInstanceType(type) : type;
  if (!info) return undefined;
  const reserved = options.reservedMemoryMiB ?? 0;
  return {
    cpu: info.vcpu * 1024,
    memory: Math.max(0, info.memoryMiB - osMemoryOverheadMiB(info.memoryMiB) - reserved),
    taskEnis: Math.max(0, info.maxEnis - 1),
  };
}
