// `node --import ./test/support/module-trace.mjs …` appends every module the process loads to the file
// $ECSPLANE_MODULE_TRACE, one URL or path a line: ES modules as the loader resolves them (module-trace-hooks.mjs,
// on the loader's thread), CommonJS modules from require's cache at exit. Used by
// test/integration/cli/startup-modules.spec.ts.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.ECSPLANE_MODULE_TRACE;
if (file) {
  register('./module-trace-hooks.mjs', import.meta.url, { data: { file } });
  process.on('exit', () => appendFileSync(file, Object.keys(createRequire(import.meta.url).cache).map((p) => `${p}\n`).join('')));
}
