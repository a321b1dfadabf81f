/**
 * How fast the machine is right now, as one number: the figures of a shared VM drift with its
 * host's load (20–40 % between runs, the CPU itself up to ~20 %), so every table carries the time of
 * a fixed integer loop measured before and after the suites. Compare tables whose reference
 * times agree.
 */
export const REFERENCE_NOTE = '10^8 steps of integer arithmetic, best of 3; lower is faster: 0.52–0.55 s on the project VM at its usual speed';

export function referenceLoopSeconds(): number {
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    let x = 0;
    for (let i = 0; i < 1e8; i++) x = (x + i * 7) % 1000003;
    const s = (performance.now() - t0) / 1000;
    if (x < 0) throw new Error('unreachable'); // keeps the loop from being optimised away
    best = Math.min(best, s);
  }
  return best;
}
