/**
 * Validation of a kind's spec against its generated schema, with errors mapped to AWS-style EcsErrors.
 *
 * The committed schemas are CRD-ready, and a CRD schema may not combine `properties` with
 * `additionalProperties`. AWS, however, rejects unknown parameters (the CLI's "Unknown parameter"), so the
 * validators check the schemas with `additionalProperties: false` added to every object node that lists its
 * properties (closeSchema). They are ajv validators compiled at build time (precompile.ts, `make validators`):
 * compiling the botocore-generated schemas took ~0.1 s of every start-up (issue #16). Each kind's module is
 * loaded the first time one of its specs is validated.
 */
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { EcsError, capValue, quoted } from '../errors.js';
import { KINDS } from '../v1alpha1/index.js';
import { VALIDATOR_MODULES } from './validators/index.js';

type Schema = Record<string, any>;

const requireValidator = createRequire(new URL('./validators/', import.meta.url));
const byKind = new Map<string, ValidateFunction>();

/** A copy of `schema` that rejects unknown fields wherever it lists properties. */
export function closeSchema(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries<Schema>(schema.properties).map(([k, v]) => [k, closeSchema(v)]));
    if (schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  }
  if (typeof schema.additionalProperties === 'object') out.additionalProperties = closeSchema(schema.additionalProperties);
  if (typeof schema.items === 'object') out.items = closeSchema(schema.items);
  return out;
}

/** The precompiled validator of `kind`'s spec. */
function validatorOf(kind: string): ValidateFunction {
  let fn = byKind.get(kind);
  if (!fn) {
    const file = Object.prototype.hasOwnProperty.call(VALIDATOR_MODULES, kind) ? VALIDATOR_MODULES[kind] : undefined;
    // Only a kind added without regenerating the validators gets here (the unit tests catch it first).
    if (!file) throw new Error(`no precompiled validator for kind ${quoted(kind)}: run \`make validators\``);
    fn = requireValidator(file) as ValidateFunction;
    byKind.set(kind, fn);
  }
  return fn;
}

/** Validate a spec of `kind`; errors carry `errorType` and a path rooted at `root` (e.g. `spec`). */
export function specErrors(kind: string, spec: unknown, errorType: string, root = 'spec'): EcsError[] {
  const validate = validatorOf(kind);
  if (validate(spec)) return [];
  return (validate.errors ?? []).map((e) => toEcsError(e, errorType, root));
}

/** Validate `spec` against `schema`, one of the kinds' spec schemas (`KINDS[kind].specSchema`). */
export function schemaErrors(schema: Schema, spec: unknown, errorType: string, root = 'spec'): EcsError[] {
  const def = Object.values(KINDS).find((d) => d.specSchema === schema);
  if (!def) throw new Error('no precompiled validator for this schema (not a kind\'s spec schema): run `make validators`');
  return specErrors(def.kind, spec, errorType, root);
}

/** `/containerDefinitions/0/name` → `spec.containerDefinitions[0].name`. */
export function fieldPath(instancePath: string, root = 'spec'): string {
  let out = root;
  if (!instancePath) return out;
  for (const raw of instancePath.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += `.${capValue(seg)}`;
    else out += `[${quoted(seg)}]`;
  }
  return out;
}

/** A key as a JSON pointer segment (RFC 6901). */
function pointerSegment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function toEcsError(e: ErrorObject, errorType: string, root: string): EcsError {
  const path = fieldPath(e.instancePath, root);
  const p = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'additionalProperties':
      return new EcsError(errorType, `Unknown parameter ${quoted(p.additionalProperty)}`, fieldPath(`${e.instancePath}/${pointerSegment(p.additionalProperty)}`, root));
    case 'required':
      return new EcsError(errorType, `Missing required parameter "${p.missingProperty}"`, `${path}.${p.missingProperty}`);
    case 'enum':
      return new EcsError(errorType, `must be one of: ${(p.allowedValues as unknown[]).join(', ')}`, path);
    default:
      return new EcsError(errorType, e.message ?? `failed ${e.keyword}`, path);
  }
}
