import type { AnyRule } from './define-rule.ts';
import type { Severity, SeveritySetting } from './types.ts';
import { SliceguardError } from './errors.ts';
import { compileOptionsValidator } from './options.ts';
import { matchesSelector, selectorProblem, type LabelSelector } from './selector.ts';
import { RULES } from './rules/index.ts';

/** Where a rule (or every policy rule) does not apply: all of the given conditions must hold. */
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
const RULE_KEYS = ['severity', 'options', 'exemptions'];

/**
 * Returns a compiled policy for `config`; throws `SG_POLICY_INVALID` naming `source`, the key and
 * what is allowed when a rule id, severity, option or exemption is wrong. API-server rules cannot
 * be turned off, down or exempted. Opt-in rules are on only when the config names them.
 */
export function createPolicy(config: PolicyConfig = {}, source = '<default>', registry: readonly AnyRule[] = RULES): Policy {
  const fail = (key: string, problem: string): never => {
    throw new SliceguardError('SG_POLICY_INVALID', `${source}: ${key}: ${problem}.`);
  };
  const byId = new Map(registry.map((r) => [r.meta.id, r]));
  const settings = config.rules ?? {};
  if (!isRecord(settings)) fail('rules', 'expected a map from rule id to off, warn, deny or {severity, options, exemptions}');
  for (const id of Object.keys(settings)) {
    if (byId.has(id)) continue;
    const known = registry.filter((r) => r.meta.category === 'policy').map((r) => r.meta.id).sort();
    const hint = didYouMean(id, [...byId.keys()]);
    fail(`rules.${id}`, `unknown rule id${hint ? ` (did you mean "${hint}"?)` : ''}; known policy rules: ${known.join(', ')}`);
  }
  const exemptions = validateExemptions(config.exemptions, 'exemptions', fail);
  const rules: ActiveRule[] = [];
  for (const rule of [...registry].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1))) {
    const active = activate(rule, settings[rule.meta.id], (key, problem) => fail(`rules.${rule.meta.id}${key}`, problem));
    if (active) rules.push(active);
  }
  if (config.strict !== undefined && typeof config.strict !== 'boolean') fail('strict', 'expected true or false');
  return { rules, exemptions, strict: config.strict ?? false, source };
}

type Fail = (key: string, problem: string) => never;

function activate(rule: AnyRule, setting: RuleConfig | undefined, fail: Fail): ActiveRule | undefined {
  const { meta } = rule;
  if (setting === null || Array.isArray(setting) || (typeof setting !== 'object' && typeof setting !== 'string' && setting !== undefined)) {
    fail('', `expected off, warn, deny or {severity, options, exemptions}, got ${JSON.stringify(setting)}`);
  }
  const obj = typeof setting === 'object' ? setting : { severity: setting };
  for (const key of Object.keys(obj)) {
    if (!RULE_KEYS.includes(key)) fail('', `unknown key "${key}"; allowed keys: ${RULE_KEYS.join(', ')}`);
  }
  if (setting === undefined && meta.optIn) return undefined;
  const severity = obj.severity ?? meta.defaultSeverity;
  if (!SEVERITIES.includes(severity as string)) fail('', `severity ${JSON.stringify(severity)} is not one of off, warn, deny`);
  if (meta.category === 'apiserver') {
    if (severity !== 'deny') fail('', `API-server rules always deny (the write fails); they cannot be set to ${severity}`);
    if (obj.exemptions !== undefined) fail('.exemptions', 'API-server rules cannot be exempted (the write fails whatever the policy says)');
  }
  const exemptions = validateExemptions(obj.exemptions, '.exemptions', fail);
  if (obj.options !== undefined && !isRecord(obj.options)) fail('.options', 'expected a map of option names to values');
  if (severity === 'off') return undefined;
  const options = { ...(meta.defaultOptions as object), ...(obj.options ?? {}) };
  // Default options are checked against their schema by a test, not at every start-up: compiling
  // ~40 option schemas with ajv cost more than validating a small file.
  const problem = obj.options === undefined ? undefined : compileOptionsValidator(meta.schema)(options);
  if (problem) {
    const sep = problem.indexOf(': ');
    fail(`.options${problem.slice(0, sep)}`, problem.slice(sep + 2));
  }
  return { rule, severity: severity as Severity, options, exemptions };
}

function validateExemptions(value: unknown, key: string, fail: Fail): Exemption[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(key, 'expected a list of {namespaces, selector}');
  const list = value as unknown[];
  list.forEach((e, i) => {
    const at = `${key}[${i}]`;
    if (!isRecord(e)) return fail(at, 'expected a map with namespaces and/or selector');
    for (const k of Object.keys(e)) if (k !== 'namespaces' && k !== 'selector') fail(at, `unknown key "${k}"; allowed keys: namespaces, selector`);
    if (e.namespaces === undefined && e.selector === undefined) fail(at, 'give namespaces, selector or both (an empty exemption would match nothing)');
    const ns = e.namespaces;
    if (ns !== undefined && (!Array.isArray(ns) || ns.length === 0 || ns.some((n) => typeof n !== 'string' || n === ''))) {
      fail(`${at}.namespaces`, 'expected a non-empty list of namespace names');
    }
    if (e.selector !== undefined) {
      const problem = selectorProblem(e.selector);
      if (problem) {
        const sep = problem.indexOf(': ');
        fail(`${at}.selector${problem.slice(0, sep)}`, problem.slice(sep + 2));
      }
    }
  });
  return list as Exemption[];
}

/** Returns the enabled rule with this id, or undefined when the policy has it off. */
export function activeRule(policy: Policy, id: string): ActiveRule | undefined {
  return policy.rules.find((a) => a.rule.meta.id === id);
}

/** Returns the severity a finding of `active` gets under `policy` (`--strict` makes every one deny). */
export function effectiveSeverity(policy: Policy, active: ActiveRule): Severity {
  return active.rule.meta.category === 'apiserver' || policy.strict ? 'deny' : active.severity;
}

/** True when the object (by namespace and labels) is exempt from `active` under `policy`. */
export function isExempt(policy: Policy, active: ActiveRule, namespace: string | undefined, labels: Record<string, unknown> | undefined): boolean {
  if (active.rule.meta.category === 'apiserver') return false;
  return matchesAny(policy.exemptions, namespace, labels) || matchesAny(active.exemptions, namespace, labels);
}

function matchesAny(list: Exemption[], namespace: string | undefined, labels: Record<string, unknown> | undefined): boolean {
  // An index loop: this runs for every rule of every slice, mostly over empty lists.
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    const nsOk = !e.namespaces || (namespace !== undefined && e.namespaces.includes(namespace));
    const selOk = !e.selector || matchesSelector(e.selector, labels ?? {});
    if ((e.namespaces || e.selector) && nsOk && selOk) return true;
  }
  return false;
}

/** Returns the candidate closest to `word` when it is a likely misspelling (edit distance <= 3). */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
