/**
 * tsyringe, always with its reflect polyfill loaded first (import DI from here, not from tsyringe).
 * Required rather than imported: an `import` of a CommonJS package makes Node read and scan its index and
 * every module the index re-exports for their export names before loading them (tsyringe's index re-exports
 * ~30 modules: ~7 ms of every start-up, issue #16).
 */
import './reflect.js';
import { createRequire } from 'node:module';
import type * as Tsyringe from 'tsyringe';

export type { DependencyContainer } from 'tsyringe';
const tsyringe = createRequire(import.meta.url)('tsyringe') as typeof Tsyringe;
export const { container, inject, injectable } = tsyringe;
