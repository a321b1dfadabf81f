/**
 * Manifest loading: files or directories of multi-document YAML or JSON (a single object, an
 * array, or a Kubernetes `List`). Every problem is a ManifestError naming the file and document;
 * sizes are bounded (file size, YAML aliases, list nesting) so no file can exhaust memory or the stack.
 */
import { openSync, closeSync, fstatSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from './yaml.js';
import { capText } from '../../api/errors.js';
import type { Resource } from '../../api/meta.js';

const MANIFEST_EXT = new Set(['.yaml', '.yml', '.json']);
/** Largest manifest file read (an object is at most 1 MiB; a file may hold several). */
export const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;
/** YAML aliases per document: a few are normal, thousands are a "billion laughs" expansion. */
export const MAX_YAML_ALIASES = 100;
/** Nesting of lists of resources (`[ [ ... ] ]`, List items) that is flattened. */
const MAX_LIST_NESTING = 4;
/** How much of a parser's message is shown (YAML messages quote the offending line). */
const MAX_PARSE_MESSAGE = 300;

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** Every manifest file under the given paths, sorted (so `00-`, `10-` prefixes order them). */
export function manifestFiles(paths: string[], seenDirs = new Set<string>()): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new ManifestError(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      const real = realpathSync(p);
      if (seenDirs.has(real)) continue; // a symlink loop, or the same directory twice
      seenDirs.add(real);
      for (const f of readdirSync(p).sort()) {
        const full = join(p, f);
        let isDir = false;
        try {
          isDir = statSync(full).isDirectory();
        } catch {
          continue; // a dangling symlink is not a manifest
        }
        if (isDir) out.push(...manifestFiles([full], seenDirs));
        else if (MANIFEST_EXT.has(extname(f))) out.push(full);
      }
    } else out.push(p);
  }
  return out;
}

export function parseManifests(text: string, source: string): Resource[] {
  const out: Resource[] = [];
  let docs;
  try {
    // Warnings (e.g. a collection used as a key, stringified) would go to stderr as process warnings;
    // errors are what matters, and validation names any odd key that results.
    docs = parseAllDocuments(text, { logLevel: 'error' });
  } catch (err) {
    throw new ManifestError(`${source}: ${parseMessage(err)}`);
  }
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, i) => {
    const where = `${source}: document ${i + 1}`;
    if (doc.errors.length) throw new ManifestError(`${where}: ${parseMessage(doc.errors[0])}`);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (err) {
      // An alias bomb ("Excessive alias count"), or nesting too deep to convert.
      throw new ManifestError(`${where}: ${parseMessage(err)}`);
    }
    if (value === null || value === undefined) return;
    for (const item of flatten(value, where, 0)) {
      if (!item || typeof item !== 'object' || Array.isArray(item) || typeof (item as any).kind !== 'string') {
        throw new ManifestError(`${where}: expected a resource with apiVersion, kind, metadata and spec`);
      }
      out.push(item as Resource);
    }
  });
  return out;
}

function parseMessage(err: unknown): string {
  const e = err as Error;
  const text = e instanceof RangeError ? 'nested too deeply' : String(e?.message ?? err);
  return capText(text, MAX_PARSE_MESSAGE);
}

function flatten(value: any, where: string, depth: number): unknown[] {
  const isList = Array.isArray(value) || (value?.kind === 'List' && Array.isArray(value.items));
  if (!isList) return [value];
  if (depth >= MAX_LIST_NESTING) throw new ManifestError(`${where}: lists of resources nested more than ${MAX_LIST_NESTING} deep`);
  const items: unknown[] = Array.isArray(value) ? value : value.items;
  return items.flatMap((x) => flatten(x, where, depth + 1));
}

/** The file's text; refuses files over MAX_MANIFEST_BYTES (checked as it reads: a pipe has no size). */
export function readManifestFile(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (size > MAX_MANIFEST_BYTES) throw tooBig(path, `is ${size} bytes`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_MANIFEST_BYTES) throw tooBig(path, 'is larger than that');
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (err) {
    if (err instanceof ManifestError) throw err;
    throw new ManifestError(`${path}: cannot read: ${(err as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function tooBig(path: string, what: string): ManifestError {
  return new ManifestError(`${path}: manifests are limited to ${MAX_MANIFEST_BYTES} bytes (8 MiB); this file ${what}`);
}

export function loadManifests(paths: string[]): Resource[] {
  return manifestFiles(paths).flatMap((f) => parseManifests(readManifestFile(f), f));
}
