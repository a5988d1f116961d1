import { formatError, VpcError } from '../../../src/util/errors.js';
import { findVariant, VARIANTS } from './faults.js';
import type { Variant } from './variant.js';

/** The environment variable that names the variant, read only by the test entry point. */
export const FAULT_ENV = 'VPCCTL_FAULT';

/** The variant VPCCTL_FAULT names; a missing or unknown name is an error that lists the known ones. */
export function resolveVariant(
  name: string | undefined,
): { ok: true; variant: Variant } | { ok: false; message: string } {
  const variant = name ? findVariant(name) : undefined;
  if (variant) return { ok: true, variant };
  const error = new VpcError(
    'E_BAD_INPUT',
    name
      ? `${FAULT_ENV}=${JSON.stringify(name)} names no fault or variant`
      : `${FAULT_ENV} is not set: this test entry point runs the reference vpcctl with one fault injected`,
    { hint: `known: ${VARIANTS.map((v) => v.name).join(', ')} (docs/faults.md)` },
  );
  return { ok: false, message: formatError(error) };
}
