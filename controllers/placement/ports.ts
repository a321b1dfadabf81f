/** Ports the ECS agent reserves by default on every container instance (ECS_RESERVED_PORTS). */
export const RESERVED_TCP_PORTS = [22, 2375, 2376, 51678, 51679];

/** The ECS-optimised AMI ephemeral range (`ip_local_port_range`) used for dynamic host ports. */
export const DYNAMIC_PORT_RANGE: readonly [number, number] = [32768, 61000];

/** Lowest port of `range` (inclusive) that is not in `used`; undefined when the range is full. */
export function allocateDynamicPort(
  used: ReadonlySet<number>,
  range: readonly [number, number] = DYNAMIC_PORT_RANGE,
): number | undefined {
  const [lo, hi] = range;
  for (let p = lo; p <= hi; p++) if (!used.has(p)) return p;
  return undefined;
}
