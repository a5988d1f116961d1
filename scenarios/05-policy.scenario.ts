import { describe } from 'vitest';
import { criterion } from './support/criterion.js';

describe('phase policy: the seed’s JSON security group on vpc1 public', () => {
  criterion('policy-allowed', 'tcp/80 on vpc1 public still answers');
  criterion('policy-denied', 'tcp/22 and tcp/443 on vpc1 public are blocked although listeners run there');
});
