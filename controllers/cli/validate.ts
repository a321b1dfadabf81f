/**
 * `ecsplane validate FILE...`: a dry run of `apply`. The documents go through the API server's own
 * admission (normalize → validate → admit against the store) into a scratch in-memory control plane
 * on a virtual clock, in apply's dependency order, each on its own as `apply` does; so validate's
 * verdict for every object is exactly apply's.
 *
 * The files are checked on their own: the scratch store starts empty, so a reference to something
 * that is not in the files (a Service's cluster, its task definition, a cluster's capacity
 * provider, ...) fails as it would when applying the files to an empty state — pass the files that
 * define it too (a directory works). Nothing is read from or written to a state file.
 */
import { EcsError, capValue } from '../../api/errors.js';
import type { Resource } from '../../api/meta.js';
import { notSimulatedFields } from '../../api/not-simulated.js';
import { sortForApply } from '../../store/apiserver.js';
import { createApp } from '../register.js';
import { VirtualClock } from '../runtime/clock.js';

export interface Verdict {
  /** `service/web`, as apply prints it (a name longer than any valid one is capped). */
  id: string;
  /** The object as applied, when apply accepted it. */
  accepted?: Resource;
  /** Why apply refused it. */
  error?: unknown;
  /** Fields ECS acts on that ecsplane does not simulate (accepted objects only). */
  warnings: Array<{ field: string; message: string }>;
}

/** Every non-Scenario document's verdict, in the order given. */
export function dryRunApply(docs: Resource[]): Verdict[] {
  const clock = new VirtualClock();
  const app = createApp({ clock });
  const resources = docs.filter((d) => d?.kind !== 'Scenario');
  const verdicts = new Map<Resource, Verdict>();
  for (const doc of sortForApply(resources)) {
    const verdict: Verdict = { id: idOf(doc), warnings: [] };
    try {
      verdict.accepted = app.api.apply(doc).object;
      verdict.warnings = notSimulatedFields(verdict.accepted.kind, verdict.accepted.spec);
    } catch (err) {
      verdict.error = err;
    }
    verdicts.set(doc, verdict);
  }
  return resources.map((d) => verdicts.get(d)!);
}

/** `Type: message (field)`: the ECS exception, then the message, as `apply` reports a refusal. */
export function refusalText(err: unknown): string {
  if (err instanceof EcsError) return `${err.type}: ${err.bareMessage}${err.field ? ` (${err.field})` : ''}`;
  const e = err as Error;
  return `${e?.name ?? 'Error'}: ${capValue(e?.message ?? String(err), 512)}`;
}

/** The lines `validate` prints for one verdict. */
export function verdictLines(v: Verdict): string[] {
  if (v.error !== undefined) return [`${v.id}: ${refusalText(v.error)}`];
  return [`${v.id}: valid`, ...v.warnings.map((w) => `${v.id}: warning: NotSimulated: ${w.message} (${w.field})`)];
}

/** Longest name shown in full: every valid name fits (ECS names are at most 255 characters). */
const MAX_SHOWN_NAME = 300;

function idOf(doc: Resource): string {
  return `${capValue(doc?.kind).toLowerCase()}/${capValue(doc?.metadata?.name, MAX_SHOWN_NAME)}`;
}
