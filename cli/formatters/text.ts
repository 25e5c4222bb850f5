import type { Formatter, RunReport } from '../report.ts';
import { countFindings, groupByFile, plural, printable, sortedEntries, type Entry } from './shared.ts';

/** ANSI SGR wrappers; identity functions when colour is off. */
interface Paint {
  deny(s: string): string;
  warn(s: string): string;
  dim(s: string): string;
  ok(s: string): string;
}

const sgr = (open: string) => (s: string) => `\x1b[${open}m${s}\x1b[0m`;
const COLOR: Paint = { deny: sgr('31'), warn: sgr('33'), dim: sgr('90'), ok: sgr('32') };
const PLAIN: Paint = { deny: (s) => s, warn: (s) => s, dim: (s) => s, ok: (s) => s };

/**
 * Returns the report for people: one line per finding, `file:line:col  severity  message  rule-id`,
 * grouped by file with a blank line after each group, then one summary line. Files without
 * findings are not listed (a clean run of 10,000 files prints one line); the summary counts them.
 * Control characters from the input are escaped, so a manifest cannot drive the terminal.
 */
const text: Formatter = (report, options) => {
  const paint = options.color ? COLOR : PLAIN;
  const lines: string[] = [];
  for (const [file, entries] of groupByFile(sortedEntries(report), (e) => e.result.file)) {
    // A loop, not push(...): a file with 300,000 findings would overflow the call stack.
    for (const line of fileLines(printable(file), entries, paint)) lines.push(line);
    lines.push('');
  }
  lines.push(summaryLine(report, paint));
  return lines.join('\n') + '\n';
};
export default text;

function fileLines(file: string, entries: Entry[], paint: Paint): string[] {
  const locations = entries.map((e) => `${file}:${e.violation.line}:${e.violation.column}`);
  const width = locations.reduce((w, l) => Math.max(w, l.length), 0);
  return entries.map(({ violation: v }, i) => {
    // Padding before painting: escape sequences would count towards the width.
    const severity = v.severity === 'deny' ? paint.deny('deny') : paint.warn('warn');
    return `${locations[i].padEnd(width)}  ${severity}  ${printable(v.message)}  ${paint.dim(v.rule)}`;
  });
}

/** `7 problems (6 deny, 1 warn) in 2 files; checked 3 files, 5 documents, 3 EndpointSlices.` */
function summaryLine(report: RunReport, paint: Paint): string {
  const s = report.summary;
  const checked = `checked ${plural(s.files, 'file')}, ${plural(s.documents, 'document')}, ${plural(s.endpointSlices, 'EndpointSlice')}.`;
  const { deny, warn } = countFindings(report);
  if (deny + warn === 0) return `${paint.ok('No problems')}; ${checked}`;
  const files = new Set(report.results.filter((r) => r.violations.length > 0).map((r) => r.file)).size;
  const head = `${plural(deny + warn, 'problem')} (${deny} deny, ${warn} warn)`;
  return `${deny > 0 ? paint.deny(head) : paint.warn(head)} in ${plural(files, 'file')}; ${checked}`;
}
