import type { Category, Severity } from '../../policies/types.ts';
import { RULES } from '../../policies/rules/index.ts';
import { compareText } from './shared.ts';

/** What `sliceguard rules` and the SARIF format say about one rule (the same data as docs/rules.md). */
export interface RuleInfo {
  id: string;
  category: Category;
  /** The severity when the rule is on; `enabledByDefault` says whether it is. */
  defaultSeverity: Severity;
  /** False for opt-in rules, which run only when a policy file names them. */
  enabledByDefault: boolean;
  fixable: boolean;
  description: string;
}

/** Where the rules are documented; each rule has an anchor named by its id. */
export const RULES_DOC_URL = 'https://github.com/sliceguard/sliceguard/blob/main/docs/rules.md';

/** Returns every registered rule's public description, sorted by id. */
export function ruleInfos(): RuleInfo[] {
  return RULES.map((r) => ({
    id: r.meta.id,
    category: r.meta.category,
    defaultSeverity: r.meta.defaultSeverity,
    enabledByDefault: r.meta.optIn !== true,
    fixable: r.meta.fixable,
    description: r.meta.description,
  })).sort((a, b) => compareText(a.id, b.id));
}
