import { describe, expect, it } from 'vitest';
import { escapeCommand, inNetns, quoteArg } from '../../../src/exec/escape.js';

describe('quoteArg', () => {
  it('leaves plain words alone', () => {
    expect(quoteArg('10.0.1.0/24')).toBe('10.0.1.0/24');
    expect(quoteArg('--cidr')).toBe('--cidr');
  });
  it('quotes spaces, quotes and shell characters', () => {
    expect(quoteArg('a b')).toBe("'a b'");
    expect(quoteArg("it's")).toBe(`'it'\\''s'`);
    expect(quoteArg('$(reboot)')).toBe("'$(reboot)'");
    expect(quoteArg('')).toBe("''");
  });
});

describe('escapeCommand', () => {
  it('joins quoted argv and prefixes the namespace', () => {
    expect(escapeCommand(inNetns('ns1', ['bash', '-c', 'echo hi']))).toBe(
      "ip netns exec ns1 bash -c 'echo hi'",
    );
    expect(inNetns(undefined, ['true'])).toEqual(['true']);
  });
});
