import { expect } from 'chai';
import * as scaling from '../../../controllers/scaling-math/index.js';

describe('scaling-math/index', () => {
  const functions = [
    'splitByStrategy', 'nextProvider',
    'instancesNeeded', 'instanceIsEmpty', 'capacityProviderReservation', 'desiredInstances', 'scaleOutStep', 'scaleInStep', 'planManagedScaling',
    'targetTrackingDesired', 'evaluateAlarm', 'consecutiveBreaching', 'evaluateTargetTracking', 'applyCooldowns', 'combinePolicyProposals',
    'selectStep', 'roundPercentChange', 'applyAdjustment', 'adjustedCapacity', 'aggregate', 'clampCapacity',
    'parseSchedule', 'nextFireTime', 'nextFireTimes', 'validateTimezone',
    'lookupInstanceType', 'containerInstanceResources', 'osMemoryOverheadMiB',
  ];
  for (const name of functions) {
    it(`re-exports ${name}`, () => expect((scaling as Record<string, unknown>)[name]).to.be.a('function'));
  }
  it('re-exports the instance type table', () => expect(scaling.INSTANCE_TYPES['m5.large'].vcpu).to.equal(2));
});
