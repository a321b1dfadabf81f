/**
 * reflect-metadata's polyfill (the decorator metadata tsyringe reads), required rather than imported: an
 * `import` of this 64 KB CommonJS file makes Node scan it for export names first (~6 ms of every start-up,
 * issue #16). Import this module before any module that defines a decorated class.
 */
import { createRequire } from 'node:module';

createRequire(import.meta.url)('reflect-metadata');
