import { describe, expect, it } from 'vitest';
import {
  bridgeMac,
  bridgeName,
  MAX_ID,
  peeringLinkNames,
  pickId,
  subnetVethName,
  validateIfName,
  validateSubnetName,
  validateVpcName,
} from '../../../src/vpcctl/naming.js';

describe('names of kernel objects', () => {
  it('fit in 15 characters for every id vpcctl can hand out', () => {
    expect(subnetVethName(MAX_ID, MAX_ID).length).toBeLessThanOrEqual(15);
    for (const name of peeringLinkNames(MAX_ID, MAX_ID - 1, 99)) expect(name.length).toBeLessThanOrEqual(15);
    expect(bridgeName('abcdefghijkl')).toHaveLength(15);
  });

  it('never collide: distinct ids give distinct names', () => {
    const names = new Set<string>();
    for (let v = 1; v <= 30; v++) for (let s = 1; s <= 30; s++) names.add(subnetVethName(v, s));
    expect(names.size).toBe(900);
    // `v1s12` vs `v11s2`: the separator keeps them apart.
    expect(subnetVethName(1, 12)).not.toBe(subnetVethName(11, 2));
    expect(peeringLinkNames(1, 12)[0]).not.toBe(peeringLinkNames(11, 2)[0]);
  });

  it('bridge MACs are locally administered unicast and distinct per id', () => {
    expect(bridgeMac(1)).toBe('02:76:70:63:00:01');
    expect(bridgeMac(258)).toBe('02:76:70:63:01:02');
    expect(bridgeMac(MAX_ID)).toMatch(/^02(:[0-9a-f]{2}){5}$/);
  });

  it('pickId takes the smallest free id whose names are free', () => {
    expect(pickId([])).toBe(1);
    expect(pickId([1, 2, 4])).toBe(3);
    expect(pickId([1], (id) => id !== 2)).toBe(3);
  });
});

describe('validation of names', () => {
  it('VPC names: at most 12 characters so br-<name> fits', () => {
    expect(() => validateVpcName('abcdefghijkl')).not.toThrow();
    expect(() => validateVpcName('abcdefghijklm')).toThrow(
      'VPC name "abcdefghijklm" is too long: its bridge would be br-abcdefghijklm (16 characters) and Linux interface names have at most 15',
    );
    for (const bad of ['', '-x', 'a b', 'a/b', 'a.b', 'a:b', 'ä'])
      expect(() => validateVpcName(bad)).toThrow(/is not valid/);
  });

  it('subnet names and interface names', () => {
    expect(() => validateSubnetName('public_sub-1')).not.toThrow();
    expect(() => validateSubnetName('x'.repeat(33))).toThrow(/too long/);
    expect(() => validateSubnetName('../etc')).toThrow(/is not valid/);
    expect(() => validateIfName('eth0', '--wan')).not.toThrow();
    expect(() => validateIfName('enp0s31f6.100', '--wan')).not.toThrow();
    for (const bad of ['', '..', 'a/b', 'x'.repeat(16), 'eth 0']) {
      expect(() => validateIfName(bad, '--wan')).toThrow(/--wan .* is not a valid interface name/);
    }
  });
});
