/** How the CLI prints an error: the ECS exception name once, then the message. */
import { EcsError } from '../../api/errors.js';

export function errorText(err: unknown): string {
  if (err instanceof EcsError) return err.message; // already `Type: [field: ]message`
  if (!(err instanceof Error)) return String(err);
  const name = err.name && err.name !== 'Error' ? err.name : '';
  // An error that crossed the control socket carries its type as name and already in its message.
  if (!name || name === 'ManifestError' || err.message.startsWith(`${name}: `)) return err.message;
  return `${name}: ${err.message}`;
}
