/**
 * Subnet: EC2 CreateSubnet input (PascalCase, as `aws ec2 create-subnet --cli-input-json` takes
 * it), named by its subnet id (`subnet-0a1b2c3d`, what awsvpcConfiguration.subnets lists). ecsplane
 * reads `CidrBlock` (or `Ipv4NetmaskLength`) for how many addresses awsvpc tasks can take and
 * `AvailabilityZone` for where its tasks run. "The allowed block size is between a /16 netmask
 * (65,536 IP addresses) and /28 netmask (16 IP addresses)", and AWS reserves five addresses of
 * every subnet (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).
 */
import { EcsError } from '../errors.js';
import { REGION } from '../arn.js';
import { Issues, checkName, clone, isStr, obj, type NameRule } from './common.js';

export const SUBNET_ERROR = 'InvalidParameterValue';
export const SUBNET_RESERVED_ADDRESSES = 5;

export const SUBNET_NAME: NameRule = {
  pattern: /^subnet-[a-z0-9][a-z0-9-]{0,62}$/,
  message: 'A subnet is named by its id: subnet- and up to 63 lowercase letters, digits or hyphens (e.g. subnet-0a1b2c3d).',
};

export interface SubnetSpec {
  VpcId: string;
  CidrBlock?: string;
  AvailabilityZone?: string;
  AvailabilityZoneId?: string;
  Ipv4NetmaskLength?: number;
  Ipv6Native?: boolean;
  [k: string]: unknown;
}

/** `a.b.c.d/n` → the first address as a number and the prefix length, or undefined. */
export function parseCidr(cidr: string): { base: number; prefix: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  return { base, prefix };
}

/** Addresses tasks can take: the block minus AWS's five; undefined when there is no IPv4 block (no limit). */
export function usableAddresses(spec: SubnetSpec): number | undefined {
  const prefix = isStr(spec.CidrBlock) ? parseCidr(spec.CidrBlock)?.prefix : spec.Ipv4NetmaskLength;
  return prefix === undefined ? undefined : 2 ** (32 - prefix) - SUBNET_RESERVED_ADDRESSES;
}

export function validateSubnet(o: any): EcsError[] {
  const issues = new Issues(SUBNET_ERROR);
  checkName(o, SUBNET_NAME, issues);
  const s = obj(o?.spec);
  if (s.CidrBlock !== undefined) {
    const c = isStr(s.CidrBlock) ? parseCidr(s.CidrBlock) : undefined;
    if (!c) issues.add('spec.CidrBlock', `Value (${String(s.CidrBlock)}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
    else if (c.prefix < 16 || c.prefix > 28) issues.add('spec.CidrBlock', `The CIDR '${s.CidrBlock}' is invalid.`, 'InvalidSubnet.Range');
    else if ((c.base & (2 ** (32 - c.prefix) - 1)) !== 0) issues.add('spec.CidrBlock', `Value (${s.CidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  }
  if (s.Ipv4NetmaskLength !== undefined && (typeof s.Ipv4NetmaskLength !== 'number' || s.Ipv4NetmaskLength < 16 || s.Ipv4NetmaskLength > 28)) {
    issues.add('spec.Ipv4NetmaskLength', 'The netmask length must be between 16 and 28.');
  }
  if (s.CidrBlock === undefined && s.Ipv4NetmaskLength === undefined && s.Ipv6Native !== true) {
    issues.add('spec.CidrBlock', 'Either CidrBlock or Ipv4NetmaskLength is required (or Ipv6Native).');
  }
  if (s.AvailabilityZone !== undefined && !(isStr(s.AvailabilityZone) && /^[a-z]{2}-[a-z]+-\d[a-z]$/.test(s.AvailabilityZone))) {
    issues.add('spec.AvailabilityZone', `Value (${String(s.AvailabilityZone)}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${REGION}a, ${REGION}b, ${REGION}c, ${REGION}d, ${REGION}e, ${REGION}f.`);
  }
  return issues.list;
}

/** The defaulted view: AWS picks a zone when none is given; ecsplane picks the region's first. */
export function subnetWithDefaults(spec: SubnetSpec): SubnetSpec {
  const s = clone(spec) ?? ({} as SubnetSpec);
  s.AvailabilityZone ??= `${REGION}a`;
  return s;
}
