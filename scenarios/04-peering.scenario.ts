import { describe } from 'vitest';
import { criterion } from './support/criterion.js';

describe('phase peering: vpc1 public <-> vpc2 public only', () => {
  criterion('peering-public', 'after peering, vpc1 public <-> vpc2 public both ways (ICMP and TCP)');
  criterion(
    'peering-private-blocked',
    'after peering, every cross-VPC pair involving a private subnet is still blocked',
  );
});
