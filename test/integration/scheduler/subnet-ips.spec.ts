/** Subnets and the private addresses of awsvpc tasks (examples/scheduler/subnet-ips.yaml; docs/scheduler.md "Subnets"). */
import { expect } from 'chai';
import { resolve } from 'node:path';
import { loadManifests } from '../../../controllers/cli/manifests.js';
import { simulate } from '../../../controllers/simulation/runner.js';
import { validationErrors } from '../../../api/validate.js';
import { parseCidr, usableAddresses } from '../../../api/v1alpha1/subnet.js';

const subnet = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'ecsplane.io/v1alpha1', kind: 'Subnet', metadata: { name }, spec });

describe('subnets and task addresses', () => {
  it('a /28 leaves 11 addresses (AWS keeps five); /16 65531', () => {
    expect(usableAddresses({ VpcId: 'v', CidrBlock: '10.0.1.0/28' })).to.equal(11);
    expect(usableAddresses({ VpcId: 'v', CidrBlock: '10.0.0.0/16' })).to.equal(65531);
    expect(usableAddresses({ VpcId: 'v', Ipv6Native: true })).to.equal(undefined);
    expect(parseCidr('10.0.1.0/28')).to.deep.equal({ base: 0x0a000100, prefix: 28 });
  });

  const bad: Array<[Record<string, unknown>, string, string, RegExp]> = [
    [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/29' }, 'InvalidSubnet.Range', 'spec.CidrBlock', /The CIDR '10.0.0.0\/29' is invalid/],
    [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/8' }, 'InvalidSubnet.Range', 'spec.CidrBlock', /is invalid/],
    [{ VpcId: 'vpc-1', CidrBlock: '10.0.0/24' }, 'InvalidParameterValue', 'spec.CidrBlock', /This is not a valid CIDR block/],
    [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.1/24' }, 'InvalidParameterValue', 'spec.CidrBlock', /not a valid CIDR block/],
    [{ VpcId: 'vpc-1' }, 'InvalidParameterValue', 'spec.CidrBlock', /Either CidrBlock or Ipv4NetmaskLength is required/],
    [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24', AvailabilityZone: 'moon-1' }, 'InvalidParameterValue', 'spec.AvailabilityZone', /availabilityZone is invalid/],
    [{ CidrBlock: '10.0.0.0/24' }, 'InvalidParameterValue', 'spec.VpcId', /VpcId/],
  ];
  for (const [spec, type, field, why] of bad) {
    it(`refuses ${JSON.stringify(spec)} (${type} at ${field})`, () => {
      const e = validationErrors(subnet('subnet-0a1b', spec)).find((x) => x.field === field);
      expect(e, JSON.stringify(validationErrors(subnet('subnet-0a1b', spec)))).to.not.equal(undefined);
      expect(e!.type).to.equal(type);
      expect(e!.message).to.match(why);
    });
  }

  it('refuses a name that is not a subnet id', () => {
    expect(validationErrors(subnet('private-a', { VpcId: 'v', CidrBlock: '10.0.0.0/24' }))[0].message).to.match(/named by its id: subnet-/);
  });

  it('30 Fargate tasks in two /28 subnets: 22 run with addresses of their subnet, 8 fail with InsufficientFreeAddressesInSubnet', () => {
    const r = simulate(loadManifests([resolve('examples/scheduler/subnet-ips.yaml')]), { sampleEveryMs: 30_000 });
    const tasks = r.resources.filter((o) => o.kind === 'Task');
    const running = tasks.filter((t) => t.status?.lastStatus === 'RUNNING');
    expect(running).to.have.length(22);
    const addrs = running.map((t) => {
      const d = t.status!.attachments![0].details as Array<{ name: string; value: string }>;
      return { subnet: d.find((x) => x.name === 'subnetId')!.value, ip: d.find((x) => x.name === 'privateIPv4Address')!.value, az: t.status!.availabilityZone };
    });
    expect(new Set(addrs.map((a) => a.ip)).size).to.equal(22); // no address twice
    for (const a of addrs) {
      if (a.subnet === 'subnet-0a1a1a1a') expect(a.ip).to.match(/^10\.0\.1\.(\d+)$/).and.satisfy((ip: string) => +ip.split('.')[3] >= 4 && +ip.split('.')[3] <= 14);
      else expect(a.ip).to.match(/^10\.0\.2\./);
      expect(a.az).to.equal(a.subnet === 'subnet-0a1a1a1a' ? 'us-east-1a' : 'us-east-1b');
    }
    const failed = tasks.filter((t) => t.status?.stopCode === 'TaskFailedToStart');
    expect(failed.length).to.be.at.least(8);
    expect(failed[0].status!.stoppedReason).to.match(/^Unexpected EC2 error while attempting to Create Network Interface in subnet 'subnet-0[ab]1[ab]1[ab]1[ab]': InsufficientFreeAddressesInSubnet$/);
    expect(failed[0].status!.attachments![0].status).to.equal('FAILED');
    const subnets = r.resources.filter((o) => o.kind === 'Subnet');
    expect(subnets.map((s) => s.status!.AvailableIpAddressCount)).to.deep.equal([0, 0]);
    expect(subnets[0].status).to.include({ SubnetId: 'subnet-0a1a1a1a', CidrBlock: '10.0.1.0/28', AvailabilityZone: 'us-east-1a', State: 'available' });
  });

  it('without declared subnets awsvpc tasks get addresses as before, with no limit', () => {
    const docs = loadManifests([resolve('examples/scheduler/subnet-ips.yaml')]).filter((d) => d.kind !== 'Subnet');
    const r = simulate(docs, { sampleEveryMs: 30_000 });
    expect(r.resources.filter((o) => o.kind === 'Task' && o.status?.lastStatus === 'RUNNING')).to.have.length(30);
  });
});
