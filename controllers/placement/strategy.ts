import { EcsError, ErrorType } from '../../api/errors.js';
import { compileCql, type CompiledCql } from './cql.js';
import type { PlacementConstraint, PlacementStrategy } from './types.js';

export type CompiledStrategy =
  | { kind: 'binpack'; resource: 'cpu' | 'memory' }
  | { kind: 'spreadInstance' }
  | { kind: 'spreadAttribute'; attribute: string }
  | { kind: 'random' };

export const AZ_ATTRIBUTE = 'ecs.availability-zone';

/** Services: spread over availability zones, then over instances. */
export function defaultServiceStrategy(): PlacementStrategy[] {
  return [
    { type: 'spread', field: `attribute:${AZ_ATTRIBUTE}` },
    { type: 'spread', field: 'instanceId' },
  ];
}

/** RunTask / StartTask: random. */
export function defaultRunTaskStrategy(): PlacementStrategy[] {
  return [{ type: 'random' }];
}

function invalid(message: string, field: string): never {
  throw new EcsError(ErrorType.InvalidParameter, message, field);
}

/** Validate and normalise a strategy chain (field names are case-insensitive, attribute names are not). */
export function compileStrategies(strategy: readonly PlacementStrategy[]): CompiledStrategy[] {
  return strategy.map((s, i): CompiledStrategy => {
    const where = `placementStrategy[${i}]`;
    const field = s.field ?? '';
    switch (s.type) {
      case 'binpack': {
        const f = field.toLowerCase();
        if (f !== 'cpu' && f !== 'memory') invalid(`binpack field must be cpu or memory, got '${field}'`, `${where}.field`);
        return { kind: 'binpack', resource: f };
      }
      case 'spread': {
        const f = field.toLowerCase();
        if (f === 'instanceid' || f === 'host') return { kind: 'spreadInstance' };
        if (f.startsWith('attribute:') && field.length > 'attribute:'.length) {
          return { kind: 'spreadAttribute', attribute: field.slice('attribute:'.length) };
        }
        return invalid(`spread field must be instanceId, host or attribute:<name>, got '${field}'`, `${where}.field`);
      }
      case 'random':
        return { kind: 'random' };
      default:
        return invalid(`placement strategy type must be binpack, spread or random, got '${String(s.type)}'`, `${where}.type`);
    }
  });
}

export interface CompiledConstraints {
  distinctInstance: boolean;
  /** memberOf expressions whose value never changes during a request. */
  staticExprs: CompiledCql[];
  /** memberOf expressions that read task:group or runningTasksCount. */
  dynamicExprs: CompiledCql[];
}

export function compileConstraints(constraints: readonly PlacementConstraint[]): CompiledConstraints {
  const out: CompiledConstraints = { distinctInstance: false, staticExprs: [], dynamicExprs: [] };
  constraints.forEach((c, i) => {
    if (c.type === 'distinctInstance') {
      out.distinctInstance = true;
    } else if (c.type === 'memberOf') {
      if (c.expression === undefined || c.expression.trim() === '') {
        invalid('a memberOf constraint requires an expression', `placementConstraints[${i}].expression`);
      }
      const compiled = compileCql(c.expression);
      (compiled.dynamic ? out.dynamicExprs : out.staticExprs).push(compiled);
    } else {
      invalid(`placement constraint type must be distinctInstance or memberOf, got '${String(c.type)}'`, `placementConstraints[${i}].type`);
    }
  });
  return out;
}
