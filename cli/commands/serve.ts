import type { Io } from '../io.ts';
import { SliceguardError } from '../../policies/errors.ts';

/** Runs `sliceguard serve` (the webhook issue implements it). */
export async function runServe(_argv: string[], _io: Io): Promise<number> {
  throw new SliceguardError('SG_USAGE', 'serve: not implemented yet');
}
