/**
 * The yaml package, required rather than imported: an `import` of a CommonJS package makes Node scan its
 * index for export names before loading it (~3 ms of every start-up, issue #16). Import YAML from here.
 */
import { createRequire } from 'node:module';

const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
export const { parse, parseAllDocuments, stringify } = yaml;
