import { parseArgs } from 'node:util';
import { SliceguardError } from '../../policies/errors.ts';
import type { Io } from '../io.ts';
import { ruleInfos, type RuleInfo } from '../formatters/rule-info.ts';

const HELP = `Usage: sliceguard rules [--format text|json]

Lists every rule: id, category, default severity, whether it can fix, and what it checks
(the same data as docs/rules.md).

Options:
  --format text|json   output format (default: text)
  -h, --help           show this help
`;

/** Runs `sliceguard rules` and returns the exit code (0; a bad flag throws `SG_USAGE`). */
export async function runRules(argv: string[], io: Io): Promise<number> {
  const format = parseRulesArgs(argv);
  if (format === 'help') io.stdout(HELP);
  else io.stdout(format === 'json' ? rulesJson(ruleInfos()) : rulesText(ruleInfos()));
  return 0;
}

/** Returns the chosen format, or `help`; throws `SG_USAGE` for anything else on the command line. */
export function parseRulesArgs(argv: string[]): 'text' | 'json' | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: { format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (err) {
    throw new SliceguardError('SG_USAGE', `rules: ${(err as Error).message.split('\n')[0]}`);
  }
  if (parsed.values.help) return 'help';
  const format = parsed.values.format;
  if (format !== 'text' && format !== 'json') throw new SliceguardError('SG_USAGE', `rules: --format ${format}: expected one of text, json`);
  return format;
}

/** Returns `{"rules":[{id, category, defaultSeverity, enabledByDefault, fixable, description}]}`. */
export function rulesJson(rules: RuleInfo[]): string {
  return JSON.stringify({ rules }) + '\n';
}

/**
 * Returns the rules as an aligned table, one rule a line, sorted by id, with a closing line. An
 * opt-in rule's severity reads `off (warn)`: off until a policy names it, then `warn`.
 */
export function rulesText(rules: RuleInfo[]): string {
  const header = ['RULE', 'CATEGORY', 'SEVERITY', 'FIXABLE', 'DESCRIPTION'];
  const rows = rules.map((r) => [
    r.id,
    r.category,
    r.enabledByDefault ? r.defaultSeverity : `off (${r.defaultSeverity})`,
    r.fixable ? 'yes' : 'no',
    r.description,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const apiserver = rules.filter((r) => r.category === 'apiserver').length;
  const footer = `${rules.length} rules: ${apiserver} apiserver (always deny), ${rules.length - apiserver} policy (severity from the policy file; see docs/policy.md).`;
  return [line(header), ...rows.map(line), '', footer, ''].join('\n');
}
