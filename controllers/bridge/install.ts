/**
 * Make sure the CRDs exist before the bridge watches them: create the missing ones, update the ones an
 * older ecsplane installed (different schema hash), then wait until every one is Established and its
 * resource is served. Without permission to create or update CRDs (a least-privilege deployment where
 * `make install` did it), existing CRDs are used as they are.
 */
import type { Logger } from '../runtime/logger.js';
import { SCHEMA_HASH_ANNOTATION } from './constants.js';
import { allCrds } from './crds.js';
import { isAlreadyExists, isConflict, isForbidden, type KubeApi } from './kube.js';

export interface EnsureCrdsOptions {
  timeoutMs?: number;
  /** Only check that they exist and are established. */
  readOnly?: boolean;
}

export async function ensureCrds(api: KubeApi, log: Logger, opts: EnsureCrdsOptions = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const crds = allCrds();
  for (const crd of crds) {
    const name = crd.metadata.name as string;
    for (let attempt = 0; ; attempt++) {
      try {
        const current = await api.readCrd(name);
        if (!current) {
          if (opts.readOnly) throw new Error(`CRD ${name} is not installed (run \`make install\`)`);
          await api.createCrd(crd);
          log.info(`bridge: created CRD ${name}`);
        } else if (current.metadata?.annotations?.[SCHEMA_HASH_ANNOTATION] !== crd.metadata.annotations[SCHEMA_HASH_ANNOTATION] && !opts.readOnly) {
          try {
            await api.replaceCrd({ ...crd, metadata: { ...crd.metadata, resourceVersion: current.metadata.resourceVersion } });
            log.info(`bridge: updated CRD ${name} (schema changed)`);
          } catch (err) {
            if (!isForbidden(err)) throw err;
            log.warn(`bridge: CRD ${name} differs from this version of ecsplane but may not be updated (${(err as Error).message}); using it as it is`);
          }
        }
        break;
      } catch (err) {
        // Raced with `make install` or another bridge: read again.
        if ((isAlreadyExists(err) || isConflict(err)) && attempt < 10) continue;
        if (isForbidden(err) || Date.now() > deadline) throw err;
        const delay = Math.min(5000, 200 * 2 ** attempt);
        const line = `bridge: ensuring CRD ${name}: ${(err as Error).message}; retrying in ${delay} ms`;
        if (attempt === 0 || attempt % 10 === 0) log.warn(line);
        else log.debug(line);
        await sleep(delay);
      }
    }
  }
  for (const crd of crds) {
    const name = crd.metadata.name as string;
    for (;;) {
      let established = false;
      try {
        const current = await api.readCrd(name);
        established = Boolean(current?.status?.conditions?.some((c: any) => c.type === 'Established' && c.status === 'True'));
      } catch (err) {
        if (isForbidden(err)) throw err;
      }
      if (established) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} did not become Established in time`);
      await sleep(200);
    }
  }
  // Served: the first list of each resource answers (discovery can lag a little behind Established).
  for (const crd of crds) {
    const plural = crd.spec.names.plural as string;
    for (;;) {
      try {
        await api.list(plural);
        break;
      } catch (err) {
        if (isForbidden(err) || Date.now() > deadline) throw err;
        await sleep(200);
      }
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
