/**
 * prom-client (with OpenTelemetry's API: ~90 files, ~30 ms) required on first use, not imported: the
 * composition root imports the metrics modules for every command, but only `run` builds metrics
 * (issue #16, `simulate`'s start-up). Take prom-client's classes from here; `import type` for its types.
 */
import { createRequire } from 'node:module';

let loaded: typeof import('prom-client') | undefined;
export function promClient(): typeof import('prom-client') {
  return (loaded ??= createRequire(import.meta.url)('prom-client') as typeof import('prom-client'));
}
