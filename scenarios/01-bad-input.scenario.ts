import { describe } from 'vitest';
import { criterion } from './support/criterion.js';

describe('phase bad-input: the tool refuses bad input and leaves nothing behind (advisory)', () => {
  criterion('rejects-bad-input', 'bad CIDRs, a subnet outside its VPC and unknown names are refused cleanly');
});
