/** Probes (/healthz, /readyz as named checks) and the bind-address flags. */
import { expect } from 'chai';
import { parseBindAddress, Probes, serveMetrics, serveProbes } from '../../../controllers/runtime/endpoints.js';
import { endpointAddresses } from '../../../controllers/cli/observability.js';

describe('endpoints: metrics and health probes', () => {
  it('bind addresses: HOST:PORT, :PORT (every interface), 0 (off); loopback by default; bad input named', () => {
    expect(parseBindAddress('--metrics-bind-address', '127.0.0.1:8080')).to.deep.equal({ host: '127.0.0.1', port: 8080 });
    expect(parseBindAddress('--metrics-bind-address', ':8080')).to.deep.equal({ host: '0.0.0.0', port: 8080 });
    expect(parseBindAddress('--metrics-bind-address', '[::1]:9')).to.deep.equal({ host: '::1', port: 9 });
    expect(parseBindAddress('--metrics-bind-address', '0')).to.equal(undefined);
    expect(() => parseBindAddress('--health-probe-bind-address', 'localhost')).to.throw(/--health-probe-bind-address must be HOST:PORT, :PORT \(every interface\) or 0 \(off\), got "localhost"/);
    expect(() => parseBindAddress('--metrics-bind-address', '1.2.3.4:70000')).to.throw(/--metrics-bind-address/);
    expect(endpointAddresses({}, {})).to.deep.equal({ metrics: { host: '127.0.0.1', port: 8080 }, probes: { host: '127.0.0.1', port: 8081 } });
    expect(endpointAddresses({}, { ECSPLANE_HEALTH_PORT: '9000', ECSPLANE_HEALTH_ADDR: '0.0.0.0' }).probes).to.deep.equal({ host: '0.0.0.0', port: 9000 });
    expect(endpointAddresses({ healthProbeBindAddress: '0' }, { ECSPLANE_HEALTH_PORT: '9000' }).probes).to.equal(undefined);
  });

  it('/readyz is the AND of its checks; ?verbose lists them; /healthz does not depend on readiness', async () => {
    const probes = new Probes();
    let synced = false;
    probes.addReadyzCheck('bridge', () => synced || 'not in sync yet');
    probes.addReadyzCheck('broken', () => {
      throw new Error('exploded');
    });
    const ep = await serveProbes({ host: '127.0.0.1', port: 0 }, probes);
    try {
      const get = async (p: string) => {
        const r = await fetch(ep.url + p);
        return [r.status, await r.text()];
      };
      expect(await get('/healthz')).to.deep.equal([200, 'ok\n']);
      expect(await get('/readyz')).to.deep.equal([503, '[+]ping ok\n[-]bridge failed: not in sync yet\n[-]broken failed: exploded\nreadyz check failed\n']);
      synced = true;
      probes.removeReadyzCheck('broken');
      expect(await get('/readyz')).to.deep.equal([200, 'ok\n']);
      expect(await get('/readyz?verbose')).to.deep.equal([200, '[+]ping ok\n[+]bridge ok\nreadyz check passed\n']);
      expect((await get('/nope'))[0]).to.equal(404);
    } finally {
      await ep.close();
    }
  });

  it('/metrics answers in the Prometheus text format', async () => {
    const ep = await serveMetrics({ host: '127.0.0.1', port: 0 }, async () => '# TYPE x gauge\nx 1\n');
    try {
      const r = await fetch(ep.url + '/metrics');
      expect(r.status).to.equal(200);
      expect(r.headers.get('content-type')).to.include('text/plain; version=0.0.4');
      expect(await r.text()).to.equal('# TYPE x gauge\nx 1\n');
    } finally {
      await ep.close();
    }
  });
});
