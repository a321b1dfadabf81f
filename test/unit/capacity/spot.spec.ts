/** FARGATE_SPOT interruption notice (controllers/capacity/spot.ts). */
import { expect } from 'chai';
import { isSpotTask, spotInterruptionStatus, SPOT_WARNING_MS } from '../../../controllers/capacity/spot.js';

const T0 = Date.UTC(2026, 0, 1);

describe('Spot interruption notice', () => {
  it('marks the task STOPPED-desired with SpotInterruption at once, and sizes the notice to two minutes', () => {
    const s = spotInterruptionStatus({ lastStatus: 'RUNNING', desiredStatus: 'RUNNING', capacityProviderName: 'FARGATE_SPOT' }, 1000, T0);
    expect(s).to.deep.include({
      lastStatus: 'RUNNING',
      desiredStatus: 'STOPPED',
      stopCode: 'SpotInterruption',
      stoppedReason: 'Your Spot Task was interrupted.',
      stoppingAt: new Date(T0).toISOString(),
      deregistrationDelayMs: SPOT_WARNING_MS - 1000,
    });
  });
  it('a stop delay longer than the notice leaves no deregistration time', () => {
    expect(spotInterruptionStatus({}, 180_000, T0).deregistrationDelayMs).to.equal(0);
  });
  it('only FARGATE_SPOT tasks are Spot tasks', () => {
    const t = (p?: string) => ({ apiVersion: 'v', kind: 'Task', metadata: { name: 't' }, spec: {}, status: { capacityProviderName: p } }) as any;
    expect([isSpotTask(t('FARGATE_SPOT')), isSpotTask(t('FARGATE')), isSpotTask(t())]).to.deep.equal([true, false, false]);
  });
});
