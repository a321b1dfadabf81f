import { expect } from 'chai';
import {
  INSTANCE_TYPES,
  containerInstanceResources,
  lookupInstanceType,
  osMemoryOverheadMiB,
} from '../../../api/instance-types.js';

describe('api/instance-types', () => {
  const required: [families: string[], sizes: string[]][] = [
    [['t2', 't3', 't3a'], ['micro', 'small', 'medium', 'large', 'xlarge', '2xlarge']],
    [['m5', 'm6i', 'm7g', 'c5', 'c6i', 'c7g'], ['large', 'xlarge', '2xlarge', '4xlarge']],
    [['r5', 'r6i'], ['large', 'xlarge', '2xlarge']],
  ];
  for (const [families, sizes] of required) {
    for (const f of families) {
      it(`has ${f}.{${sizes.join(',')}}`, () => {
        for (const s of sizes) expect(lookupInstanceType(`${f}.${s}`), `${f}.${s}`).to.not.equal(undefined);
      });
    }
  }

  const rows: [name: string, vcpu: number, memoryMiB: number, architecture: string, maxEnis: number][] = [
    ['t2.micro', 1, 1024, 'x86_64', 2],
    ['t2.2xlarge', 8, 32768, 'x86_64', 3],
    ['t3.micro', 2, 1024, 'x86_64', 2],
    ['t3.small', 2, 2048, 'x86_64', 3],
    ['t3a.small', 2, 2048, 'x86_64', 2],
    ['t3.xlarge', 4, 16384, 'x86_64', 4],
    ['t4g.medium', 2, 4096, 'arm64', 3],
    ['m5.large', 2, 8192, 'x86_64', 3],
    ['m6i.4xlarge', 16, 65536, 'x86_64', 8],
    ['m7g.xlarge', 4, 16384, 'arm64', 4],
    ['c5.large', 2, 4096, 'x86_64', 3],
    ['c6i.2xlarge', 8, 16384, 'x86_64', 4],
    ['c7g.4xlarge', 16, 32768, 'arm64', 8],
    ['r5.large', 2, 16384, 'x86_64', 3],
    ['r6i.2xlarge', 8, 65536, 'x86_64', 4],
  ];
  for (const [name, vcpu, memoryMiB, architecture, maxEnis] of rows) {
    it(`${name}: ${vcpu} vCPU, ${memoryMiB} MiB, ${architecture}, ${maxEnis} ENIs`, () => {
      expect(lookupInstanceType(name)).to.deep.equal({ name, vcpu, memoryMiB, architecture, maxEnis });
    });
  }

  for (const name of ['m5.huge', 'M5.LARGE', '', 'toString', '__proto__', 'constructor']) {
    it(`lookupInstanceType(${JSON.stringify(name)}) is undefined`, () => {
      expect(lookupInstanceType(name)).to.equal(undefined);
      expect(containerInstanceResources(name)).to.equal(undefined);
    });
  }

  it('every entry is consistent: Graviton families are arm64, names match keys, ENIs ≥ 2', () => {
    for (const [key, t] of Object.entries(INSTANCE_TYPES)) {
      expect(t.name).to.equal(key);
      expect(t.architecture).to.equal(/^[a-z]+\d+g\./.test(key) ? 'arm64' : 'x86_64');
      expect(t.maxEnis).to.be.at.least(2);
      const r = containerInstanceResources(t);
      expect(r.cpu).to.equal(t.vcpu * 1024);
      expect(r.memory).to.be.lessThan(t.memoryMiB).and.greaterThan(t.memoryMiB * 0.95);
      expect(r.taskEnis).to.equal(t.maxEnis - 1);
    }
  });

  it('the table is frozen', () => {
    expect(Object.isFrozen(INSTANCE_TYPES)).to.equal(true);
    expect(Object.isFrozen(INSTANCE_TYPES['m5.large'])).to.equal(true);
  });

  describe('osMemoryOverheadMiB (fitted to published ECS-optimised AMI registrations)', () => {
    const published: [installed: number, registered: number, tolerance: number][] = [
      [1024, 993, 2], // t2.micro
      [2048, 2001, 20], // t2.small
      [4096, 3952, 0], // t2.medium
      [8192, 7984, 0], // t2.large / m4.large (the developer guide's m4.large example says 7985)
      [16384, 16048, 0], // t2.xlarge
      [32768, 32176, 0], // t2.2xlarge
      [65536, 64417, 20], // m4.4xlarge
    ];
    for (const [installed, registered, tolerance] of published) {
      it(`${installed} MiB ⇒ ${registered} ± ${tolerance}`, () => {
        expect(installed - osMemoryOverheadMiB(installed)).to.be.closeTo(registered, tolerance);
      });
    }
  });

  describe('containerInstanceResources', () => {
    const cases: [name: string, reserved: number | undefined, cpu: number, memory: number, taskEnis: number][] = [
      ['t3.micro', undefined, 2048, 992, 1],
      ['t2.medium', undefined, 2048, 3952, 2],
      ['m5.large', undefined, 2048, 7984, 2],
      ['m5.large', 256, 2048, 7728, 2],
      ['c5.xlarge', undefined, 4096, 8192 - 80 - 128, 3],
      ['r5.4xlarge', undefined, 16384, 131072 - 80 - 2048, 7],
      ['t3.nano', 1000, 2048, 0, 1],
    ];
    for (const [name, reserved, cpu, memory, taskEnis] of cases) {
      it(`${name}${reserved ? ` with ECS_RESERVED_MEMORY=${reserved}` : ''} ⇒ CPU ${cpu}, MEMORY ${memory}`, () => {
        expect(containerInstanceResources(name, { reservedMemoryMiB: reserved })).to.deep.equal({ cpu, memory, taskEnis });
      });
    }
  });
});
