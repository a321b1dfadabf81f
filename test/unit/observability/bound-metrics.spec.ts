/** The hot-path counters and histograms read exactly as prom-client's own, fed the same calls. */
import { expect } from 'chai';
import { Counter, Histogram, Registry } from 'prom-client';
import { BoundCounter, BoundHistogram } from '../../../controllers/runtime/bound-metrics.js';

const BUCKETS = [1e-8, 0.005, 0.5, 1, 10];

describe('bound metrics: prom-client text, cheaper calls', () => {
  it('a histogram and a counter scrape as prom-client would show them', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const h = new BoundHistogram({ name: 'work_seconds', help: 'work', labelNames: ['controller', 'name'], buckets: BUCKETS, registers: [ours] });
    const ph = new Histogram({ name: 'work_seconds', help: 'work', labelNames: ['controller', 'name'], buckets: BUCKETS, registers: [theirs] });
    const c = new BoundCounter({ name: 'adds_total', help: 'adds', labelNames: ['controller'], registers: [ours] });
    const pc = new Counter({ name: 'adds_total', help: 'adds', labelNames: ['controller'], registers: [theirs] });
    const a = h.labels({ controller: 'svc', name: 'svc' });
    const pa = ph.labels({ controller: 'svc', name: 'svc' });
    h.labels({ controller: 'idle', name: 'idle' }); // never observed: no series, as with prom-client
    ph.labels({ controller: 'idle', name: 'idle' });
    const b = h.labels({ controller: 'task', name: 'task' });
    const pb = ph.labels({ controller: 'task', name: 'task' });
    for (const v of [0, 1e-9, 0.004, 0.005, 0.3, 2, 11, 0.0001]) {
      a.observe(v);
      pa.observe(v);
    }
    b.observe(0.7);
    pb.observe(0.7);
    const inc = c.labels({ controller: 'svc' });
    const pinc = pc.labels({ controller: 'svc' });
    for (let i = 0; i < 3; i++) inc.inc(), pinc.inc();
    c.labels({ controller: 'svc' }).inc(); // the same label values: the same series
    pc.labels({ controller: 'svc' }).inc();
    expect(await ours.metrics()).to.equal(await theirs.metrics());
    // Counted again after a scrape (the pending counts moved into prom-client's counter once).
    inc.inc();
    pinc.inc();
    expect(await ours.metrics()).to.equal(await theirs.metrics());
    inc.inc(); // not scraped before the reset: gone with it
    pinc.inc();
    ours.resetMetrics();
    theirs.resetMetrics();
    expect(await ours.metrics()).to.equal(await theirs.metrics());
  });
});
