import { VpcError } from '../../../src/util/errors.js';

/** A small valid profile file (every required step present) to break one piece at a time. */
export function minimalProfile(): Record<string, unknown> {
  return {
    name: 'tool',
    command: ['{dir}/tool'],
    steps: {
      createVpc: ['create', '{vpc}', '{cidr}'],
      addSubnet: ['subnet', '{vpc}', '{subnet}', '{cidr}'],
      allowIntraVpc: [],
      enableNat: ['nat', '{vpc}', '{wan}'],
      deployHttp: 'harness',
      isolateVpcs: [],
      peerVpcs: ['peer', '{vpcA}', '{vpcB}'],
      allowCidr: null,
      applyPolicy: ['policy', '{policyFile}'],
      inspect: ['inspect'],
      teardownVpc: ['delete', '{vpc}'],
    },
  };
}

/** The problem lines of a thrown E_SCHEMA error (the first line is a header). */
export function problemLines(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof VpcError && error.code === 'E_SCHEMA') return error.message.split('\n').slice(1);
    throw error;
  }
  throw new Error('expected an E_SCHEMA error, but nothing was thrown');
}
