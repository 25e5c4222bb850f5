import type { AnyRule } from './define-rule.ts';
import type { Severity, SeveritySetting } from './types.ts';
import { SliceguardError } from './errors.ts';
import { compileOptionsValidator } from './options.ts';
import { matchesSelector, type LabelSelector } from './selector.ts';
import { RULES } from './rules/index.ts';

/** Where a rule (or every policy rule) does not apply. */
export interface Exemption {
  namespaces?: string[];
  selector?: LabelSelector;
}

/** A rule's entry in a policy config: a severity, or a severity with options and exemptions. */
export type RuleConfig =
  | SeveritySetting
  | { severity?: SeveritySetting; options?: Record<string, unknown>; exemptions?: Exemption[] };

/** A policy as plain data (the parsed `rules`/`exemptions` of a policy file). */
export interface PolicyConfig {
  rules?: Record<string, RuleConfig>;
  exemptions?: Exemption[];
  /** `--strict`: every `warn` becomes `deny`. */
  strict?: boolean;
}

/** One enabled rule with its effective severity and validated options. */
export interface ActiveRule {
  rule: AnyRule;
  severity: Severity;
  options: unknown;
  exemptions: Exemption[];
}

/** A compiled policy: rule options validated once, at start-up, never per object. */
export interface Policy {
  /** Enabled rules, sorted by id. */
  rules: ActiveRule[];
  /** Exemptions for every policy rule. */
  exemptions: Exemption[];
  strict: boolean;
  /** Where the config came from, for messages (`<default>` or a file name). */
  source: string;
}

const SEVERITIES = ['off', 'warn', 'deny'];

/**
 * Returns a compiled policy for `config`; throws `SG_POLICY_INVALID` naming `source`, the key and
 * what is allowed when a rule id, severity or option is wrong. API-server rules cannot be turned off.
 */
export function createPolicy(config: PolicyConfig = {}, source = '<default>', registry: readonly AnyRule[] = RULES): Policy {
  const byId = new Map(registry.map((r) => [r.meta.id, r]));
  const settings = config.rules ?? {};
  for (const id of Object.keys(settings)) {
    if (!byId.has(id)) {
      const known = registry.filter((r) => r.meta.category === 'policy').map((r) => r.meta.id);
      throw new SliceguardError('SG_POLICY_INVALID', `${source}: rules.${id}: unknown rule id; known policy rules: ${known.join(', ')}.`);
    }
  }
  const rules: ActiveRule[] = [];
  for (const rule of [...registry].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1))) {
    const active = activate(rule, settings[rule.meta.id], source);
    if (active) rules.push(active);
  }
  return { rules, exemptions: config.exemptions ?? [], strict: config.strict ?? false, source };
}

function activate(rule: AnyRule, setting: RuleConfig | undefined, source: string): ActiveRule | undefined {
  const key = `${source}: rules.${rule.meta.id}`;
  const obj = typeof setting === 'object' && setting !== null ? setting : { severity: setting };
  const severity = obj.severity ?? rule.meta.defaultSeverity;
  if (!SEVERITIES.includes(severity as string)) {
    throw new SliceguardError('SG_POLICY_INVALID', `${key}: severity ${JSON.stringify(severity)} is not one of off, warn, deny.`);
  }
  if (rule.meta.category === 'apiserver') {
    if (setting !== undefined && severity !== 'deny') {
      throw new SliceguardError('SG_POLICY_INVALID', `${key}: API-server rules always deny (the write fails); they cannot be set to ${severity}.`);
    }
  }
  if (severity === 'off') return undefined;
  const options = { ...(rule.meta.defaultOptions as object), ...(obj.options ?? {}) };
  const problem = compileOptionsValidator(rule.meta.schema)(options);
  if (problem) throw new SliceguardError('SG_POLICY_INVALID', `${key}.options${problem}.`);
  return { rule, severity: severity as Severity, options, exemptions: obj.exemptions ?? [] };
}

/** True when the object (by namespace and labels) is exempt from `active` under `policy`. */
export function isExempt(policy: Policy, active: ActiveRule, namespace: string | undefined, labels: Record<string, unknown> | undefined): boolean {
  if (active.rule.meta.category === 'apiserver') return false;
  return matchesAny(policy.exemptions, namespace, labels) || matchesAny(active.exemptions, namespace, labels);
}

function matchesAny(list: Exemption[], namespace: string | undefined, labels: Record<string, unknown> | undefined): boolean {
  for (const e of list) {
    const nsOk = !e.namespaces || (namespace !== undefined && e.namespaces.includes(namespace));
    const selOk = !e.selector || matchesSelector(e.selector, labels ?? {});
    if ((e.namespaces || e.selector) && nsOk && selOk) return true;
  }
  return false;
}
