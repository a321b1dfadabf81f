/** Fixture builders and assertions for the api/ unit tests. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'chai';
import { validationErrors } from '../../../api/validate.js';
import type { EcsError } from '../../../api/errors.js';

export const API_VERSION = 'ecsplane.io/v1alpha1';

export function fixture<T = any>(name: string): T {
  // From the repository root: tests run there, as sources (tsx) or compiled (dist/).
  return JSON.parse(readFileSync(resolve('test/unit/api/fixtures', name), 'utf8')) as T;
}

export function resource(kind: string, name: string, spec: unknown): any {
  return { apiVersion: API_VERSION, kind, metadata: { name }, spec };
}

export function errorsOf(kind: string, spec: unknown, name = 'x'): EcsError[] {
  return validationErrors(resource(kind, name, spec));
}

export function describeErrors(errors: EcsError[]): string {
  return errors.map((e) => e.message).join('\n  ') || '(none)';
}

export function expectValid(kind: string, spec: unknown, name = 'x'): void {
  const errors = errorsOf(kind, spec, name);
  expect(errors, `expected no errors, got:\n  ${describeErrors(errors)}`).to.have.length(0);
}

export interface Expected {
  field: string;
  type: string;
  /** Exact message, or a RegExp it must match. */
  message?: string | RegExp;
}

/** Asserts one of the errors names `field` with exception `type` (and message, if given). */
export function expectError(errors: EcsError[], want: Expected): EcsError {
  const hit = errors.find(
    (e) =>
      e.field === want.field &&
      e.type === want.type &&
      (want.message === undefined ||
        (typeof want.message === 'string' ? e.bareMessage === want.message : want.message.test(e.bareMessage))),
  );
  expect(hit, `expected ${want.type} at ${want.field}${want.message ? ` (${want.message})` : ''}; got:\n  ${describeErrors(errors)}`).to.not
    .equal(undefined);
  return hit!;
}

/** A valid one-container EC2 task definition spec. */
export function ec2Td(overrides: Record<string, unknown> = {}): any {
  return {
    family: 'web',
    containerDefinitions: [{ name: 'app', image: 'nginx:1.27', memory: 256, portMappings: [{ containerPort: 80 }] }],
    ...overrides,
  };
}

/** A valid Fargate task definition spec. */
export function fargateTd(overrides: Record<string, unknown> = {}): any {
  return {
    family: 'web',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'app', image: 'nginx:1.27', portMappings: [{ containerPort: 80 }] }],
    ...overrides,
  };
}

/** A container definition list with one valid container merged with `c`. */
export function containers(...cs: Record<string, unknown>[]): any[] {
  return cs.map((c, i) => ({ name: `c${i}`, image: 'busybox', memory: 128, ...c }));
}

/** Deep-freeze, as the store returns objects. */
export function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object') {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}
