/**
 * Task-level cpu/memory: parsing of the string forms ECS accepts, and the Fargate size table
 * (ecs-semantics §1 TaskDefinition, §3).
 */

/**
 * CPU units from a task-level `cpu` string: "256" (units), "1 vCPU", "0.25 vcpu", ".5vCPU".
 * NaN when the string is not one of those forms or is not a whole number of units.
 */
export function parseCpu(value: unknown): number {
  if (typeof value === 'number') return Number.isInteger(value) ? value : NaN;
  if (typeof value !== 'string') return NaN;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(vcpus?)?\s*$/i.exec(value);
  if (!m) return NaN;
  const units = m[2] ? Number(m[1]) * 1024 : Number(m[1]);
  return Number.isInteger(units) ? units : NaN;
}

const MEMORY_UNITS: Record<string, number> = { '': 1, mb: 1, mib: 1, gb: 1024, gib: 1024 };

/** MiB from a task-level `memory` string: "512" (MiB), "1 GB", "0.5GB", "2 GiB", "512 MiB". */
export function parseMemory(value: unknown): number {
  if (typeof value === 'number') return Number.isInteger(value) ? value : NaN;
  if (typeof value !== 'string') return NaN;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(mib|mb|gib|gb)?\s*$/i.exec(value);
  if (!m) return NaN;
  const mib = Number(m[1]) * MEMORY_UNITS[(m[2] ?? '').toLowerCase()];
  return Number.isInteger(mib) ? mib : NaN;
}

export interface FargateSize {
  cpu: number;
  memory: number[];
  /** Windows supports only 1–4 vCPU. */
  windows: boolean;
}

const range = (from: number, to: number, step: number): number[] =>
  Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);

/** ecs-semantics §3. */
export const FARGATE_SIZES: readonly FargateSize[] = [
  { cpu: 256, memory: [512, 1024, 2048], windows: false },
  { cpu: 512, memory: [1024, 2048, 3072, 4096], windows: false },
  { cpu: 1024, memory: range(2048, 8192, 1024), windows: true },
  { cpu: 2048, memory: range(4096, 16384, 1024), windows: true },
  { cpu: 4096, memory: range(8192, 30720, 1024), windows: true },
  { cpu: 8192, memory: range(16384, 61440, 4096), windows: false },
  { cpu: 16384, memory: range(32768, 122880, 8192), windows: false },
];

export function fargateSize(cpu: number, windows = false): FargateSize | undefined {
  return FARGATE_SIZES.find((s) => s.cpu === cpu && (!windows || s.windows));
}

/** EC2 task-level cpu range (ecs-semantics §1). */
export const EC2_TASK_CPU = { min: 128, max: 196608 } as const;
