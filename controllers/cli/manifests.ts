/**
 * Manifest loading: files or directories of multi-document YAML or JSON (a single object, an
 * array, or a Kubernetes `List`). Errors name the file and document.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Resource } from '../../api/meta.js';

const MANIFEST_EXT = new Set(['.yaml', '.yml', '.json']);

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** Every manifest file under the given paths, sorted (so `00-`, `10-` prefixes order them). */
export function manifestFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new ManifestError(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      for (const f of readdirSync(p).sort()) {
        const full = join(p, f);
        if (statSync(full).isDirectory()) out.push(...manifestFiles([full]));
        else if (MANIFEST_EXT.has(extname(f))) out.push(full);
      }
    } else out.push(p);
  }
  return out;
}

export function parseManifests(text: string, source: string): Resource[] {
  const out: Resource[] = [];
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, i) => {
    if (doc.errors.length) throw new ManifestError(`${source}: document ${i + 1}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value === null || value === undefined) return;
    for (const item of flatten(value)) {
      if (!item || typeof item !== 'object' || typeof item.kind !== 'string') {
        throw new ManifestError(`${source}: document ${i + 1}: expected a resource with apiVersion, kind, metadata and spec`);
      }
      out.push(item);
    }
  });
  return out;
}

function flatten(value: any): any[] {
  if (Array.isArray(value)) return value.flatMap(flatten);
  if (value?.kind === 'List' && Array.isArray(value.items)) return value.items.flatMap(flatten);
  return [value];
}

export function loadManifests(paths: string[]): Resource[] {
  return manifestFiles(paths).flatMap((f) => parseManifests(readFileSync(f, 'utf8'), f));
}
