/**
 * docs/testing.md's example is itself a test of `make test`: examples/testing/deploy.spec.mjs runs
 * here exactly as a user would run it (`import { startEcsplane } from 'ecsplane/testing'` resolves
 * through package.json `exports`).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
await import(pathToFileURL(join(root, 'examples/testing/deploy.spec.mjs')).href);
