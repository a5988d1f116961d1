import { describe, expect, it } from 'vitest';
import { parseCpuModel } from '../../../bench/machine.js';

describe('parseCpuModel', () => {
  it('takes the first "model name" of an x86 cpuinfo', () => {
    const text =
      'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Processor\n\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R) Processor\n';
    expect(parseCpuModel(text)).toBe('Intel(R) Xeon(R) Processor');
  });

  it('falls back to ARM fields and skips bare processor numbers', () => {
    expect(parseCpuModel('processor\t: 0\nHardware\t: BCM2835\n')).toBe('BCM2835');
    expect(parseCpuModel('processor\t: 0\n')).toBe('unknown');
  });
});
