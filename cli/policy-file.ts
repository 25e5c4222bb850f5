import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { createPolicy, type Policy, type PolicyConfig } from '../policies/policy.ts';
import { SliceguardError } from '../policies/errors.ts';
import { describeFsError } from './inputs.ts';

/**
 * Returns the compiled policy from a policy file, or the default policy without one. Throws
 * `SG_POLICY_UNREADABLE` or `SG_POLICY_INVALID` naming the file and the key.
 * (Minimal version: the policy-file work adds the version/kind header and its full checks.)
 */
export function loadPolicy(file: string | undefined, overrides: { strict?: boolean } = {}): Policy {
  if (!file) return createPolicy({ strict: overrides.strict ?? false });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SliceguardError('SG_POLICY_UNREADABLE', `${file}: ${describeFsError(err)}`);
  }
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (err) {
    throw new SliceguardError('SG_POLICY_INVALID', `${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const config = (doc ?? {}) as PolicyConfig;
  return createPolicy({ ...config, strict: overrides.strict || config.strict || false }, file);
}
