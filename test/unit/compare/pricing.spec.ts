/** The shipped price list and --pricing overrides (api/pricing.ts). */
import { expect } from 'chai';
import { DEFAULT_PRICING, mergePricing } from '../../../api/pricing.js';
import { INSTANCE_TYPES } from '../../../api/instance-types.js';

describe('pricing', () => {
  it('the shipped list prices every instance type ecsplane knows, and names its sources and date', () => {
    for (const type of Object.keys(INSTANCE_TYPES)) expect(DEFAULT_PRICING.ec2OnDemandHour[type], type).to.be.a('number');
    expect(DEFAULT_PRICING.region).to.equal('us-east-1');
    expect(DEFAULT_PRICING.sources.fargate).to.match(/^https:\/\/aws\.amazon\.com\/fargate\/pricing/);
    expect(DEFAULT_PRICING.date).to.match(/^\d{4}-\d{2}-\d{2}$/);
    expect(DEFAULT_PRICING.confirmation.join(' ')).to.match(/Spot prices .* NOT confirmed/);
  });
  it('an override file changes only what it names', () => {
    const p = mergePricing(DEFAULT_PRICING, { fargateSpot: { X86_64: { vcpuHour: 0.0133 } }, ec2OnDemandHour: { 'x9.huge': 1.5 } }, 'f');
    expect(p.fargateSpot.X86_64).to.deep.equal({ vcpuHour: 0.0133, gbHour: DEFAULT_PRICING.fargateSpot.X86_64.gbHour });
    expect(p.ec2OnDemandHour['x9.huge']).to.equal(1.5);
    expect(p.ec2OnDemandHour['m5.large']).to.equal(DEFAULT_PRICING.ec2OnDemandHour['m5.large']);
  });
  it('a wrong field is an error naming the file and field', () => {
    expect(() => mergePricing(DEFAULT_PRICING, { fargate: { X86: { vcpuHour: 1 } } }, 'p.yaml')).to.throw(/p\.yaml: fargate\.X86: unknown architecture/);
    expect(() => mergePricing(DEFAULT_PRICING, { ec2OnDemandHour: { 'm5.large': -1 } }, 'p.yaml')).to.throw(/ec2OnDemandHour\.m5\.large must be a number ≥ 0/);
    expect(() => mergePricing(DEFAULT_PRICING, { fargat: {} }, 'p.yaml')).to.throw(/p\.yaml: fargat: unknown field/);
    expect(() => mergePricing(DEFAULT_PRICING, { fargateSpot: { ARM64: { vcpuHour: 1 } } }, 'p.yaml')).to.throw(/fargateSpot\.ARM64: unknown architecture \(expected X86_64\)/);
    expect(() => mergePricing(DEFAULT_PRICING, [1], 'p.yaml')).to.throw(/a pricing file is a JSON or YAML object/);
  });
});
