/**
 * The explicit rule registry: one import per file in this folder. The registry test checks that
 * rule files, this list, the tests and docs/rules.md agree. Keep each section sorted by id.
 */
import type { AnyRule } from '../define-rule.ts';
// --- apiserver rules: imports ---
// --- policy rules: imports ---

/** Every rule sliceguard knows, API-server parity rules and policy rules. */
export const RULES: readonly AnyRule[] = [
  // --- apiserver rules ---
  // --- policy rules ---
];
