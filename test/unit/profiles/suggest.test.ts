import { describe, expect, it } from 'vitest';
import { STEP_NAMES } from '../../../src/profiles/steps.js';
import { didYouMean, editDistance } from '../../../src/profiles/suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('didYouMean', () => {
  it('finds the step meant by a misspelt, re-cased or dashed name', () => {
    expect(didYouMean('createVPC', STEP_NAMES)).toBe('createVpc');
    expect(didYouMean('create-vpc', STEP_NAMES)).toBe('createVpc');
    expect(didYouMean('addSubnets', STEP_NAMES)).toBe('addSubnet');
    expect(didYouMean('alowCidr', STEP_NAMES)).toBe('allowCidr');
    expect(didYouMean('peer', STEP_NAMES)).toBe('peerVpcs');
  });
  it('stays quiet when nothing is close', () => {
    expect(didYouMean('frobnicate', STEP_NAMES)).toBeUndefined();
    expect(didYouMean('vpc', ['dir', 'wan'])).toBeUndefined();
  });
});
