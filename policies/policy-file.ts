import yaml from 'js-yaml';
import { createPolicy, didYouMean, type Policy, type PolicyConfig } from './policy.ts';
import { SliceguardError } from './errors.ts';

/** The one policy file version this release reads. */
export const POLICY_API_VERSION = 'sliceguard.dev/v1alpha1';
export const POLICY_KIND = 'Policy';
const TOP_KEYS = ['apiVersion', 'kind', 'rules', 'exemptions', 'strict'];

/**
 * Returns the compiled policy for the text of a policy file; `source` names the file in messages.
 * Pure: the doors read the file and pass its text in. Validates the whole file (header, unknown
 * keys, rule ids, severities, options against each rule's JSON Schema, exemptions) and throws
 * `SG_POLICY_INVALID` with one line naming the file, the key and what is allowed.
 * `overrides.strict` (`--strict`) can turn strict mode on, never off.
 */
export function parsePolicyText(text: string, source: string, overrides: { strict?: boolean } = {}): Policy {
  const fail = (problem: string): never => {
    throw new SliceguardError('SG_POLICY_INVALID', `${source}: ${problem}`);
  };
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text).filter((d) => d !== null && d !== undefined);
  } catch (err) {
    const e = err as { reason?: string; message?: string; mark?: { line: number; column: number } };
    const where = e.mark ? `line ${e.mark.line + 1}, column ${e.mark.column + 1}: ` : '';
    return fail(`${where}not valid YAML: ${e.reason ?? String(e.message).split('\n')[0]}.`);
  }
  if (docs.length === 0) fail(`empty; expected a policy with apiVersion ${POLICY_API_VERSION} and kind ${POLICY_KIND}.`);
  if (docs.length > 1) fail(`has ${docs.length} YAML documents; a policy file holds exactly one.`);
  const doc = docs[0];
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return fail(`expected a map with apiVersion, kind and rules, got ${Array.isArray(doc) ? 'a list' : JSON.stringify(doc)}.`);
  }
  const top = doc as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (TOP_KEYS.includes(key)) continue;
    const hint = didYouMean(key, TOP_KEYS);
    fail(`${key}: unknown key${hint ? ` (did you mean "${hint}"?)` : ''}; allowed keys: ${TOP_KEYS.join(', ')}.`);
  }
  if (top.apiVersion !== POLICY_API_VERSION) {
    fail(`apiVersion: ${describe(top.apiVersion)} is not supported; expected ${POLICY_API_VERSION}.`);
  }
  if (top.kind !== POLICY_KIND) fail(`kind: ${describe(top.kind)} is not supported; expected ${POLICY_KIND}.`);
  if (top.rules !== undefined && (top.rules === null || typeof top.rules !== 'object' || Array.isArray(top.rules))) {
    fail('rules: expected a map from rule id to off, warn, deny or {severity, options, exemptions}.');
  }
  const config: PolicyConfig = {
    rules: top.rules as PolicyConfig['rules'],
    exemptions: top.exemptions as PolicyConfig['exemptions'],
    strict: top.strict as boolean | undefined,
  };
  const policy = createPolicy(config, source);
  return overrides.strict ? { ...policy, strict: true } : policy;
}

function describe(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}
