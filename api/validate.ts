/**
 * Admission-time validation of one object on its own (no store lookups): apiVersion, kind, metadata.name,
 * the spec schema (ajv, generated from botocore) and the kind's ECS rules. Every problem is reported at once
 * in one ValidationError, headed by the first.
 */
import { API_VERSION } from './meta.js';
import { EcsError, ErrorType, ValidationError, quoted } from './errors.js';
import { inputErrors } from './input.js';
import { metadataErrors } from './metadata-rules.js';
import { simContainerErrors } from './sim.js';
import { specErrors } from './schema/spec-validator.js';
import { KINDS, kindDef, type KindDef } from './v1alpha1/index.js';

/** The exception a kind reports bad input with (InvalidParameterException for an unknown kind). */
export function errorTypeOf(kind: unknown): string {
  return (typeof kind === 'string' ? kindDef(kind)?.errorType : undefined) ?? ErrorType.InvalidParameter;
}

/**
 * Throws a ValidationError when `input` is not plain, bounded JSON (api/input.ts). The API server runs
 * this before it copies anything out of the input.
 */
export function assertPlainInput(input: unknown): void {
  const errors = inputErrors(input, errorTypeOf((input as any)?.kind));
  if (errors.length > 0) throw new ValidationError(errors);
}

/**
 * All problems of `obj` (empty when valid). `plainChecked`: `obj` was built from input that
 * assertPlainInput accepted (the API server's normalize), so the structural walk is not repeated.
 */
export function validationErrors(obj: unknown, plainChecked = false): EcsError[] {
  const o = obj as any;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    return [new EcsError(ErrorType.InvalidParameter, 'The object must be a JSON/YAML mapping.', '(object)')];
  }
  // Structural problems first and alone: the checks below recurse and read keys.
  const structural = plainChecked ? [] : inputErrors(o, errorTypeOf(o.kind));
  if (structural.length > 0) return structural;
  const errors: EcsError[] = [];
  if (o.apiVersion !== API_VERSION) {
    errors.push(new EcsError(ErrorType.InvalidParameter, `apiVersion must be ${API_VERSION}, not ${quoted(o.apiVersion ?? null)}.`, 'apiVersion'));
  }
  const def = typeof o.kind === 'string' ? kindDef(o.kind) : undefined;
  if (!def) {
    errors.push(
      new EcsError(ErrorType.InvalidParameter, `Unknown kind ${quoted(o.kind ?? null)}; expected one of ${Object.keys(KINDS).join(', ')}.`, 'kind'),
    );
    return errors;
  }
  if (typeof o.metadata !== 'object' || o.metadata === null || Array.isArray(o.metadata)) {
    errors.push(new EcsError(def.errorType, 'metadata is required.', 'metadata'));
  } else {
    errors.push(...metadataErrors(def.kind, o.metadata, def.errorType));
  }
  if (o.spec === undefined || o.spec === null) {
    errors.push(new EcsError(def.errorType, 'spec is required.', 'spec'));
    return errors;
  }
  const schema = specErrors(def.kind, o.spec, def.errorType);
  errors.push(...schema);
  errors.push(...kindRules(def, o, schema.length > 0));
  errors.push(...simContainerErrors(def.kind, o.metadata?.annotations, o.spec, def.errorType));
  return dedupe(errors);
}

/** Throws a ValidationError listing every problem of `obj` (`plainChecked`: see validationErrors). */
export function validateResource(obj: unknown, plainChecked = false): void {
  const errors = validationErrors(obj, plainChecked);
  if (errors.length > 0) throw new ValidationError(errors);
}

/** The defaulted view of a kind's spec (pure; spec itself is never rewritten). */
export function withDefaults(kind: string, spec: any, meta?: { name?: string }): any {
  const def = kindDef(kind);
  if (!def) throw new EcsError(ErrorType.InvalidParameter, `Unknown kind ${quoted(kind)}.`, 'kind');
  return def.withDefaults(spec, meta);
}

/**
 * The kind's rules are written to tolerate ill-typed input, but a spec the schema rejected can still be odd
 * enough to trip one; then the schema errors are the answer.
 */
function kindRules(def: KindDef, o: unknown, schemaFailed: boolean): EcsError[] {
  try {
    return def.validate(o);
  } catch (err) {
    if (schemaFailed) return [];
    throw err;
  }
}

function dedupe(errors: EcsError[]): EcsError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}|${e.bareMessage}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
