import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { createPolicy, type Policy } from '../policies/policy.ts';
import { parsePolicyText } from '../policies/policy-file.ts';
import { SliceguardError } from '../policies/errors.ts';
import { describeFsError } from './inputs.ts';

/**
 * Returns the compiled policy from a policy file (relative to `cwd`), or the default policy
 * without one. Throws `SG_POLICY_UNREADABLE` or `SG_POLICY_INVALID` naming the file and the key.
 */
export function loadPolicy(file: string | undefined, overrides: { strict?: boolean } = {}, cwd = process.cwd()): Policy {
  if (!file) return createPolicy({ strict: overrides.strict ?? false });
  let text: string;
  try {
    text = readFileSync(isAbsolute(file) ? file : join(cwd, file), 'utf8');
  } catch (err) {
    throw new SliceguardError('SG_POLICY_UNREADABLE', `${file}: ${describeFsError(err)}`);
  }
  return parsePolicyText(text, file, overrides);
}
