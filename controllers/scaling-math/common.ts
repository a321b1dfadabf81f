/** Small numeric helpers shared by the scaling formulas. Pure. */

/** Clamp `value` into [min, max]. When min > max, max wins (the upper bound is applied last). */
export function clampCapacity(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** ceil(a / b) for non-negative integers, computed exactly. */
export function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

/**
 * ceil(x) that ignores floating-point noise: a value within 1e-9 of an integer is that integer
 * (so 10 × 55 / 50 = 11.000000000000002 ceils to 11, not 12).
 */
export function ceilTolerant(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-9 ? r : Math.ceil(x);
}

/** floor(x) with the same tolerance as {@link ceilTolerant}. */
export function floorTolerant(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-9 ? r : Math.floor(x);
}
