import { describe, expect, it } from 'vitest';
import {
  addressAt,
  broadcastAddress,
  cidrContains,
  cidrSize,
  cidrsOverlap,
  firstHost,
  intToIp,
  ipInCidr,
  ipToInt,
  parseCidr,
  tryParseCidr,
} from '../../../src/util/cidr.js';
import { VpcError } from '../../../src/util/errors.js';

function errorOf(fn: () => unknown): VpcError {
  try {
    fn();
  } catch (error) {
    if (error instanceof VpcError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('parseCidr', () => {
  it('parses a network block into canonical parts', () => {
    expect(parseCidr('10.0.0.0/16')).toEqual({
      address: '10.0.0.0',
      prefix: 16,
      network: 0x0a000000,
      text: '10.0.0.0/16',
    });
    expect(parseCidr('0.0.0.0/0').text).toBe('0.0.0.0/0');
    expect(parseCidr('192.168.1.7/32').text).toBe('192.168.1.7/32');
  });

  it.each([
    ['', /it is empty/],
    ['10.0.0.0', /the \/PREFIX is missing/],
    ['10.0.0/16', /"10\.0\.0" is not a dotted-quad/],
    ['10.0.0.256/24', /not a dotted-quad/],
    ['010.0.0.0/8', /not a dotted-quad/],
    ['0x0a.0.0.0/8', /not a dotted-quad/],
    ['10.0.0.0/33', /prefix "33" is not a number from 0 to 32/],
    ['10.0.0.0/-1', /prefix "-1"/],
    ['10.0.0.0/016', /prefix "016"/],
    ['10.0.0.0/ 16', /prefix " 16"/],
    ['fd00::/8', /IPv6; only IPv4 is supported/],
  ])('rejects %j with a reason', (text, reason) => {
    const error = errorOf(() => parseCidr(text, { what: '--cidr' }));
    expect(error.code).toBe('E_BAD_INPUT');
    expect(error.message).toMatch(/^--cidr ".*" is not a valid IPv4 CIDR: /);
    expect(error.message).toMatch(reason);
  });

  it('rejects host bits and suggests the network address', () => {
    const error = errorOf(() => parseCidr('10.0.1.5/16'));
    expect(error.message).toMatch(/host bits are set \(the network address of a \/16 is 10\.0\.0\.0\)/);
    expect(error.hint).toBe('did you mean 10.0.0.0/16?');
  });

  it('accepts host bits when asked (interface addresses)', () => {
    expect(parseCidr('203.0.113.10/24', { allowHostBits: true }).text).toBe('203.0.113.0/24');
  });

  it('tryParseCidr returns undefined instead of throwing', () => {
    expect(tryParseCidr('nope')).toBeUndefined();
    expect(tryParseCidr('10.1.0.0/16')?.prefix).toBe(16);
  });
});

describe('CIDR arithmetic', () => {
  it('converts addresses both ways, unsigned', () => {
    expect(ipToInt('255.255.255.255')).toBe(0xffffffff);
    expect(intToIp(0xc0a80101)).toBe('192.168.1.1');
  });

  it('finds hosts and bounds', () => {
    expect(firstHost('10.0.1.0/24')).toBe('10.0.1.1');
    expect(addressAt('10.0.1.0/24', 2)).toBe('10.0.1.2');
    expect(broadcastAddress('10.0.1.0/24')).toBe('10.0.1.255');
    expect(cidrSize('10.0.0.0/30')).toBe(4);
    expect(() => addressAt('10.0.0.0/31', 2)).toThrow(/has no address number 2/);
  });

  it('decides containment and overlap', () => {
    expect(cidrContains('10.0.0.0/16', '10.0.1.0/24')).toBe(true);
    expect(cidrContains('10.0.0.0/16', '10.0.0.0/16')).toBe(true);
    expect(cidrContains('10.0.1.0/24', '10.0.0.0/16')).toBe(false);
    expect(cidrContains('10.0.0.0/16', '10.1.1.0/24')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '203.0.113.0/24')).toBe(true);
    expect(cidrsOverlap('10.0.1.0/24', '10.0.1.128/25')).toBe(true);
    expect(cidrsOverlap('10.0.1.0/24', '10.0.0.0/8')).toBe(true);
    expect(cidrsOverlap('10.0.1.0/24', '10.0.2.0/24')).toBe(false);
    expect(cidrsOverlap('128.0.0.0/1', '127.255.255.255/32')).toBe(false);
  });

  it('tests address membership', () => {
    expect(ipInCidr('10.0.1.200', '10.0.1.0/24')).toBe(true);
    expect(ipInCidr('10.0.2.1', '10.0.1.0/24')).toBe(false);
    expect(ipInCidr('not-an-ip', '10.0.1.0/24')).toBe(false);
  });
});
