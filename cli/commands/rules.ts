import type { Io } from '../io.ts';
import { RULES } from '../../policies/rules/index.ts';

/** Runs `sliceguard rules` (placeholder until the formatter work lands). */
export async function runRules(_argv: string[], io: Io): Promise<number> {
  io.stdout(JSON.stringify(RULES.map((r) => ({ id: r.meta.id, category: r.meta.category, severity: r.meta.defaultSeverity, fixable: r.meta.fixable, description: r.meta.description }))) + '\n');
  return 0;
}
