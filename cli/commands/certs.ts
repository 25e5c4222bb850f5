import type { Io } from '../io.ts';
import { SliceguardError } from '../../policies/errors.ts';

/** Runs `sliceguard certs` (the certificates issue implements it). */
export async function runCerts(_argv: string[], _io: Io): Promise<number> {
  throw new SliceguardError('SG_USAGE', 'certs: not implemented yet');
}
