/**
 * The precompiled spec validators (api/schema/validators, ajv standalone code generated at build time):
 * committed code equals what the generator makes from today's schemas, and on every input they report
 * exactly the errors the schemas compiled at run time (as ecsplane did before) report.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import { KINDS, type JsonSchema } from '../../../api/v1alpha1/index.js';
import { closeSchema, schemaErrors } from '../../../api/schema/spec-validator.js';
import { generateValidators, specAjv, VALIDATORS_DIR } from '../../../api/schema/precompile.js';
import { VALIDATOR_MODULES } from '../../../api/schema/validators/index.js';
import { fixture } from './helpers.js';

const DIR = resolve(VALIDATORS_DIR); // from the repository root, where the tests run

describe('precompiled spec validators', () => {
  const generated = generateValidators();

  it('are up to date with the schemas (else: make validators)', () => {
    const committed = readdirSync(DIR).filter((f) => /\.c?ts$/.test(f)).sort();
    expect(committed, `${VALIDATORS_DIR} holds other files than the generator writes: run \`make validators\``).to.deep.equal([...generated.keys()].sort());
    for (const [file, text] of generated) {
      // Not deep.equal on the text: a 150 KB diff in the failure message helps nobody.
      expect(readFileSync(join(DIR, file), 'utf8') === text, `${VALIDATORS_DIR}/${file} is stale: run \`make validators\` and commit it`).to.equal(true);
    }
  });

  it('cover every kind, one module per distinct schema', () => {
    expect(Object.keys(VALIDATOR_MODULES).sort()).to.deep.equal(Object.keys(KINDS).sort());
    expect(VALIDATOR_MODULES.TaskDefinitionRevision).to.equal(VALIDATOR_MODULES.TaskDefinition);
    for (const file of new Set(Object.values(VALIDATOR_MODULES))) expect(existsSync(join(DIR, file.replace(/\.cjs$/, '.cts'))), file).to.equal(true);
  });

  it('an unknown schema is an error naming the fix, not a silent pass', () => {
    expect(() => schemaErrors({ type: 'object' }, {}, 'ValidationException')).to.throw(/make validators/);
  });

  describe('report what the run-time compiled schemas report', () => {
    // ecsplane's validators before they were precompiled: the closed schema (with its descriptions),
    // compiled at run time without ajv's code optimisation.
    const runtimeAjv = specAjv({ optimize: false });
    const load = createRequire(new URL('../../../api/schema/validators/', import.meta.url));
    const examples = exampleSpecs();
    const botocore = (fixture('botocore-examples.json').examples as { kind: string; input: unknown }[]).filter((e) => e.kind in KINDS);

    for (const def of Object.values(KINDS)) {
      it(def.kind, () => {
        const reference = runtimeAjv.compile(closeSchema(def.specSchema));
        const precompiled = load(VALIDATOR_MODULES[def.kind]) as typeof reference;
        const inputs: unknown[] = [
          ...examples.filter((e) => e.kind === def.kind).map((e) => e.spec),
          ...botocore.filter((e) => e.kind === def.kind).map((e) => e.input),
          ...(['bad-values', 'wrong-types', 'hollow'] as const).map((mode) => instanceOf(def.specSchema, mode)),
          {},
          [],
          'x',
          null,
        ];
        let errors = 0;
        for (const input of inputs) {
          const ok = reference(input);
          expect(precompiled(input), JSON.stringify(input).slice(0, 200)).to.equal(ok);
          // Everything of an error but schemaPath (the precompiled schema's objects are definitions).
          expect(precompiled.errors?.map(withoutSchemaPath) ?? null).to.deep.equal(reference.errors?.map(withoutSchemaPath) ?? null);
          errors += reference.errors?.length ?? 0;
        }
        // The generated inputs reach deep into the schema: the comparison covers many error paths.
        expect(errors).to.be.at.least(10);
      });
    }
  });
});

function withoutSchemaPath({ schemaPath: _schemaPath, ...rest }: { schemaPath: string }): object {
  return rest;
}

/** The specs of every kind's objects in examples/ (valid input). */
function exampleSpecs(): { kind: string; spec: unknown }[] {
  const out: { kind: string; spec: unknown }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) {
        for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
          const o = doc.toJS() as { kind?: string; spec?: unknown } | null;
          if (o && typeof o.kind === 'string' && o.kind in KINDS && o.spec !== undefined) out.push({ kind: o.kind, spec: o.spec });
        }
      }
    }
  };
  walk(resolve('examples'));
  return out;
}

/**
 * An input that fills every property of the schema and breaks it everywhere: `bad-values` (out of range,
 * too long, not in the enum, unknown keys), `wrong-types` (each leaf of another type), `hollow` (each object
 * below the top empty: every nested required field missing).
 */
function instanceOf(schema: JsonSchema, mode: 'bad-values' | 'wrong-types' | 'hollow', depth = 0): unknown {
  if (depth > 15) return null;
  switch (schema.type) {
    case 'object': {
      if (mode === 'hollow' && depth > 0) return {};
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries<JsonSchema>(schema.properties ?? {})) out[k] = instanceOf(v, mode, depth + 1);
      if (typeof schema.additionalProperties === 'object') out['some/key'] = instanceOf(schema.additionalProperties, mode, depth + 1);
      if (mode === 'bad-values') out.notAParameter = 1;
      return out;
    }
    case 'array': {
      const item = typeof schema.items === 'object' ? instanceOf(schema.items, mode, depth + 1) : null;
      if (mode === 'wrong-types') return { notAList: item };
      // One item past a small maxItems; two items otherwise (nested lists multiply).
      return Array.from({ length: schema.maxItems !== undefined && schema.maxItems <= 20 ? schema.maxItems + 1 : 2 }, () => item);
    }
    case 'string':
      if (mode === 'wrong-types') return 7;
      return schema.enum ? 'NotAnEnumValue' : '!'.repeat((schema.maxLength ?? 0) + 1) + '😀';
    case 'integer':
    case 'number':
      if (mode === 'wrong-types') return '7';
      return schema.maximum !== undefined ? schema.maximum + 1.5 : schema.minimum !== undefined ? schema.minimum - 1.5 : 1.5;
    case 'boolean':
      return mode === 'wrong-types' ? 'true' : true;
    default:
      return null;
  }
}
