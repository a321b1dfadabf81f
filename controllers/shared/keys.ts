/** `cluster/name` keys as shared strings (store/keys.ts). */
export { internedKey } from '../../store/keys.js';
