import yaml from 'js-yaml';
import { createPolicy, type Policy, type PolicyConfig } from './policy.ts';
import { SliceguardError } from './errors.ts';

/**
 * Returns the compiled policy for the text of a policy file; `source` names the file in messages.
 * Pure: the doors read the file and pass its text in. Throws `SG_POLICY_INVALID`.
 * (Minimal version: the policy-rules work adds the version/kind header and its full checks.)
 */
export function parsePolicyText(text: string, source: string, overrides: { strict?: boolean } = {}): Policy {
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (err) {
    throw new SliceguardError('SG_POLICY_INVALID', `${source}: ${(err as Error).message.split('\n')[0]}`);
  }
  const config = (doc ?? {}) as PolicyConfig;
  return createPolicy({ ...config, strict: overrides.strict || config.strict || false }, source);
}
