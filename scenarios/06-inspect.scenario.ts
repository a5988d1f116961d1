import { describe } from 'vitest';
import { criterion } from './support/criterion.js';

describe('phase inspect: the tool describes what it built (advisory)', () => {
  criterion('inspect-works', 'inspect exits 0 and names the VPCs and subnets');
});
