import { describe, expect, it } from 'vitest';
import {
  parseTemplate,
  placeholdersOf,
  solePlaceholder,
  substitute,
} from '../../../src/profiles/placeholders.js';

describe('parseTemplate', () => {
  it('splits text and placeholders, with {{ and }} as literal braces', () => {
    expect(parseTemplate('--cidr={cidr}')).toEqual({
      segments: [{ text: '--cidr=' }, { placeholder: 'cidr' }],
    });
    expect(parseTemplate('{{a}} {b}}}')).toEqual({
      segments: [{ text: '{a} ' }, { placeholder: 'b' }, { text: '}' }],
    });
  });
  it('reports a brace that is neither a placeholder nor escaped', () => {
    expect(parseTemplate('x{1}').problem).toEqual({
      index: 1,
      message: '"{" at character 2 does not start a placeholder',
    });
    expect(parseTemplate('{a b}').problem?.index).toBe(0);
    expect(parseTemplate('a}').problem).toEqual({ index: 1, message: 'unmatched "}" at character 2' });
  });
});

describe('substitute', () => {
  it('replaces every placeholder from the lookup', () => {
    expect(substitute('{vpc}-{vpc}/{n}', (name) => (name === 'vpc' ? 'v1' : '2'))).toBe('v1-v1/2');
    expect(placeholdersOf('{a}{b}{a}')).toEqual(['a', 'b', 'a']);
  });
  it('throws on a malformed template', () => {
    expect(() => substitute('{oops', () => '')).toThrow(/does not start a placeholder/);
  });
});

describe('solePlaceholder', () => {
  it('is the name only when the whole string is one placeholder', () => {
    expect(solePlaceholder('{port}')).toBe('port');
    expect(solePlaceholder('{port}/tcp')).toBeUndefined();
    expect(solePlaceholder('{{port}}')).toBeUndefined();
  });
});
