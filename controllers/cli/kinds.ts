/** Kind names as typed on the command line: `service`, `services`, `svc`, `Service`, ... */
import { KINDS } from '../../api/v1alpha1/index.js';
import { CLUSTER_SCOPED_KINDS, makeKey } from '../../api/meta.js';

export function resolveKind(input: string): string {
  const lower = input.toLowerCase();
  for (const def of Object.values(KINDS)) {
    if (def.kind.toLowerCase() === lower || def.plural === lower || def.singular === lower || def.shortNames.includes(lower)) return def.kind;
  }
  throw new Error(`unknown kind ${JSON.stringify(input)} (known: ${Object.values(KINDS).map((d) => d.singular).join(', ')})`);
}

/** Store key for a name on the command line (`cluster/name` for cluster-scoped kinds). */
export function keyFor(kind: string, name: string, cluster = 'default'): string {
  if (!CLUSTER_SCOPED_KINDS.has(kind) || name.includes('/')) return name;
  return makeKey(cluster, name);
}
