/**
 * AWS Query output: the model's output shape as XML in AWS's envelope
 * (`<OpResponse xmlns><OpResult>…</OpResult><ResponseMetadata><RequestId>`), and errors as
 * `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…`. A small serializer rather than a
 * library: the shapes are known, and every text value goes through `escapeXml`.
 */
import type { QueryServiceModel, QueryShape } from './model.js';

// Characters XML 1.0 cannot carry at all become U+FFFD.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

export function escapeXml(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD').replace(/[&<>"'\r]/g, (c) => ENTITIES[c]);
}

function scalar(shape: QueryShape, v: unknown): string | undefined {
  switch (shape.type) {
    case 'timestamp': {
      const ms = typeof v === 'number' ? v * 1000 : Date.parse(String(v));
      return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
    }
    case 'boolean':
      return typeof v === 'boolean' ? String(v) : undefined;
    case 'integer':
    case 'long':
    case 'double':
    case 'float': {
      const n = typeof v === 'number' ? v : Number(v);
      return Number.isFinite(n) ? String(n) : undefined;
    }
    default:
      return escapeXml(typeof v === 'string' ? v : String(v));
  }
}

/** The members of `value` as XML elements, in model order (unknown members dropped). */
function body(model: QueryServiceModel, shape: QueryShape, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) return '';
      let out = '';
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const v = (value as Record<string, unknown>)[name];
        if (v === undefined || v === null) continue;
        const m = model.shapes[member];
        if (m.type === 'list' && m.flattened) {
          if (Array.isArray(v)) for (const item of v) out += element(model, model.shapes[m.member!], name, item);
        } else out += element(model, m, name, v);
      }
      return out;
    }
    case 'list':
      return Array.isArray(value) ? value.map((i) => element(model, model.shapes[shape.member!], 'member', i)).join('') : '';
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) return '';
      return Object.entries(value as object)
        .map(([k, v]) => `<entry><key>${escapeXml(k)}</key>${element(model, model.shapes[shape.value!], 'value', v)}</entry>`)
        .join('');
    default:
      return scalar(shape, value) ?? '';
  }
}

function element(model: QueryServiceModel, shape: QueryShape, name: string, v: unknown): string {
  if (shape.type !== 'structure' && shape.type !== 'list' && shape.type !== 'map' && scalar(shape, v) === undefined) return '';
  return `<${name}>${body(model, shape, v)}</${name}>`;
}

export function xmlResponse(model: QueryServiceModel, operation: string, value: unknown, requestId: string): string {
  const out = model.operations[operation].output;
  const result = out ? `<${operation}Result>${body(model, model.shapes[out], value ?? {})}</${operation}Result>` : '';
  const ns = model.metadata.xmlNamespace ? ` xmlns="${escapeXml(model.metadata.xmlNamespace)}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response${ns}>${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
}

export function xmlError(model: QueryServiceModel | undefined, code: string, message: string, status: number, requestId: string): string {
  const ns = model?.metadata.xmlNamespace ? ` xmlns="${escapeXml(model.metadata.xmlNamespace)}"` : '';
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse${ns}><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
