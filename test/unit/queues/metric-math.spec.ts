/** Metric math arithmetic (api/metric-math.ts) and Metrics[] queries (controllers/shared/metric-source.ts). */
import { expect } from 'chai';
import { evaluateExpression, parseExpression } from '../../../api/metric-math.js';
import { evaluateQuery } from '../../../controllers/shared/metric-source.js';

const value = (text: string, ids: Record<string, number | null>) => {
  const p = parseExpression(text);
  if ('error' in p) throw new Error(p.error);
  return evaluateExpression(p.ast, (id) => ids[id] ?? null);
};

describe('metric math', () => {
  const cases: Array<[string, Record<string, number | null>, number | null]> = [
    ['m1 / m2', { m1: 1000, m2: 4 }, 250],
    ['m1 + m2 * 2', { m1: 1, m2: 3 }, 7],
    ['(m1 + m2) * 2', { m1: 1, m2: 3 }, 8],
    ['-m1 + 10', { m1: 4 }, 6],
    ['2 ^ 3 ^ 2', {}, 512],
    ['m1 - m2 - 1', { m1: 10, m2: 3 }, 6],
    ['m1 / m2 (no running tasks: missing)', { m1: 1000, m2: 0 }, null],
    ['m1 / m2 (a missing input)', { m1: null, m2: 2 }, null],
    ['100*m1/1e2', { m1: 7 }, 7],
  ];
  for (const [text, ids, want] of cases) it(`${text} = ${want}`, () => expect(value(text.replace(/ \(.*\)$/, ''), ids)).to.equal(want));

  const errors: Array<[string, RegExp]> = [
    ['m1 /', /ends too early/],
    ['(m1', /Expected '\)'/],
    ['m1 m2', /Unexpected 'm2'/],
    ['m1 % 2', /Unexpected '%'/],
    ['', /empty/],
    ['SUM(METRICS())', /function SUM\(\) is not simulated/],
  ];
  for (const [text, want] of errors) {
    it(`refused: ${JSON.stringify(text)}`, () => {
      const p = parseExpression(text);
      expect(p).to.have.property('error').that.matches(want);
    });
  }
  it('deep nesting is refused, not a stack overflow', () => expect(parseExpression('('.repeat(500) + 'm1' + ')'.repeat(500))).to.have.property('error'));

  it('a Metrics[] query evaluates the ReturnData item over the others', () => {
    const items = [
      { Id: 'm1', MetricStat: { Metric: { MetricName: 'a' } }, ReturnData: false },
      { Id: 'm2', MetricStat: { Metric: { MetricName: 'b' } }, ReturnData: false },
      { Id: 'e1', Expression: 'm1 / m2' },
    ];
    const got = evaluateQuery(items, (q) => ({ value: q.Id === 'm1' ? 900 : 3 }));
    expect(got).to.deep.equal({ value: 300 });
    expect(evaluateQuery(items, (q) => (q.Id === 'm2' ? { unsupported: 'nope' } : { value: 1 }))).to.deep.equal({ unsupported: 'nope' });
  });
});
