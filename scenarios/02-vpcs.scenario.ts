import { describe } from 'vitest';
import { criterion } from './support/criterion.js';

describe('phases vpc1 + vpc2: VPCs, subnets, routing, app and NAT', () => {
  criterion(
    'vpc-created',
    'every subnet has a namespace, an address in its CIDR and a default route whose gateway answers',
  );
  criterion('intra-vpc-routing', 'public <-> private both ways in each VPC (ICMP and TCP)');
  criterion('app-deployed', 'HTTP GET from vpc1 private to vpc1 public :80 answers 200');
  criterion('nat-public-egress', 'vpc1 public reaches the internet host, masqueraded as 203.0.113.10');
  criterion('nat-private-blocked', 'vpc1 private cannot reach the internet host, yet reaches vpc1 public');
  criterion(
    'idempotent-create',
    'creating the same VPC and subnets again succeeds without duplicating anything (advisory)',
  );
  criterion(
    'source-preserved',
    'receivers see the sender’s own address inside a VPC and across peering (advisory)',
  );
});
