import { describe } from 'vitest';
import { criterion } from './support/criterion.js';

describe('phase vpc2: isolation between VPCs by default', () => {
  criterion(
    'isolation-default',
    'before peering, every cross-VPC pair is blocked (ICMP and TCP), with positive controls',
  );
});
