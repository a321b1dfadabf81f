/**
 * EventBridge (issue #13): the cost of matching one event against a pattern that uses most operators, and
 * of 10,000 bus events delivered to 20 pattern rules through the rule loop on the virtual clock.
 */
import { matchesPattern, parseEventPattern } from '../../../api/event-pattern.js';
import { Simulation } from '../../../controllers/simulation/runner.js';
import { collect, repeat, type FigureResult } from '../harness.js';

const PATTERN = JSON.stringify({
  source: ['aws.s3'],
  'detail-type': [{ 'equals-ignore-case': 'object created' }],
  detail: {
    bucket: { name: [{ prefix: 'upl' }] },
    object: { key: [{ wildcard: 'incoming/*/*.csv' }], size: [{ numeric: ['>', 0, '<=', 1e9] }] },
    'source-ip-address': [{ cidr: '10.0.0.0/8' }],
    $or: [{ reason: ['PutObject'] }, { reason: [{ 'anything-but': { prefix: 'Copy' } }] }],
  },
});
const EVENT = {
  source: 'aws.s3',
  'detail-type': 'Object Created',
  detail: { bucket: { name: 'uploads' }, object: { key: 'incoming/2026/a.csv', size: 1024 }, 'source-ip-address': '10.1.2.3', reason: 'PutObject' },
};

const doc = (kind: string, name: string, spec: unknown) => ({ apiVersion: 'ecsplane.io/v1alpha1', kind, metadata: { name }, spec });

function fanout(events: number, rules: number): number {
  const docs = [
    ...Array.from({ length: rules }, (_, i) => doc('Rule', `r${i}`, { EventPattern: JSON.stringify({ source: [`app.${i}`] }) })),
    doc('Scenario', 'bench', { until: '1h', sampleEvery: '1h', steps: Array.from({ length: events }, (_, i) => ({ at: `${Math.floor((i * 3600) / events)}s`, event: { Source: `app.${i % (rules * 4)}`, DetailType: 'Tick', Detail: { i } } })) }),
  ];
  const sim = new Simulation(docs as any);
  const t0 = performance.now();
  sim.run();
  return performance.now() - t0;
}

export async function eventsSuite(opts: { runs: number }): Promise<FigureResult[]> {
  const pattern = parseEventPattern(PATTERN);
  const N = 200_000;
  const match = await repeat(opts.runs, 1, () => {
    const t0 = performance.now();
    let hits = 0;
    for (let i = 0; i < N; i++) if (matchesPattern(pattern, EVENT)) hits++;
    if (hits !== N) throw new Error('the bench pattern must match');
    return ((performance.now() - t0) * 1000) / N;
  }, collect);
  const bus = await repeat(opts.runs, 1, () => fanout(10_000, 20) / 1000, collect);
  return [
    { id: 'events.match', name: 'event pattern match (9 operators)', unit: 'µs', samples: match, target: { op: '<=', value: 5 }, note: 'one event against a pattern with prefix, wildcard, numeric, cidr, equals-ignore-case, anything-but, $or' },
    { id: 'events.fanout', name: '10,000 bus events → 20 pattern rules', unit: 's', samples: bus, target: { op: '<=', value: 5 }, note: 'simulate: PutEvents-shaped steps over 1 h virtual, a quarter of them matching one rule each (no targets)' },
  ];
}
