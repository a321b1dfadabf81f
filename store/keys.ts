/**
 * `cluster/name` keys for hot lookups. makeKey builds a new string each time, and a new string
 * is hashed again by every map it is looked up in; the same key string handed out every time
 * is hashed once. Bounded: the table starts over past a size no fleet reaches.
 */
import { makeKey } from '../api/meta.js';

const keys = new Map<string, Map<string, string>>();
let size = 0;
const MAX = 200_000;

/** makeKey(cluster, name), as one shared string per key. */
export function internedKey(cluster: string, name: string): string {
  let byName = keys.get(cluster);
  if (!byName) keys.set(cluster, (byName = new Map()));
  let key = byName.get(name);
  if (key === undefined) {
    if (size >= MAX) {
      keys.clear();
      size = 0;
      keys.set(cluster, byName);
      byName.clear();
    }
    key = makeKey(cluster, name);
    byName.set(name, key);
    size++;
  }
  return key;
}
