import { evaluate } from './engine.ts';
import { applyPatch } from './patch.ts';
import type { Policy } from './policy.ts';
import type { EvalContext, PatchOperation, Report } from './types.ts';

/** The outcome of fixing one object. */
export interface FixResult {
  /** The operations applied, in order (empty when nothing changed). */
  patch: PatchOperation[];
  /** The object after the fixes (the input itself when nothing changed). */
  object: unknown;
  /** The evaluation of the fixed object. */
  report: Report;
}

/**
 * Returns the object with every fix that the enabled rules offer applied once, and its
 * re-evaluation. Fixes are computed from the raw object; a fix that no longer applies after an
 * earlier one is skipped, so one conflicting rule cannot block the others.
 */
export function fixObject(object: unknown, policy: Policy, context: EvalContext = {}): FixResult {
  const first = evaluate(object, policy, context);
  const ops = first.findings.flatMap((f) => f.fix ?? []);
  if (ops.length === 0) return { patch: [], object, report: first };
  let fixed = object;
  const applied: PatchOperation[] = [];
  for (const f of first.findings) {
    if (!f.fix) continue;
    try {
      fixed = applyPatch(fixed, f.fix);
      applied.push(...f.fix);
    } catch {
      // the finding's target moved under an earlier fix; the re-evaluation reports what is left
    }
  }
  return { patch: applied, object: fixed, report: evaluate(fixed, policy, context) };
}
