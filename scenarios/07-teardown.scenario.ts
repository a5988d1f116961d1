import { describe } from 'vitest';
import { criterion } from './support/criterion.js';

describe('phase teardown: everything the run added is gone', () => {
  criterion('teardown-independent', 'after tearing down vpc1 alone, vpc2 still routes (advisory)');
  criterion('teardown-clean', 'no namespace, link, route, iptables rule or process the run added is left');
});
