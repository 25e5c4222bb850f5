/**
 * Helpers shared by the output formats: one order for findings, counts, and path and text
 * clean-up. Every format sorts the same way so that the same input prints the same bytes.
 */
import type { DocumentResult, RunReport, Violation } from '../report.ts';

/** One finding with the document it belongs to. */
export interface Entry {
  result: DocumentResult;
  violation: Violation;
}

/**
 * Returns every finding of the report with its document: files in input order (the order of the
 * command line, directories walked by name), then by line, column, rule id and message. People
 * read a file top to bottom, so line order beats the JSON output's path order here.
 */
export function sortedEntries(report: RunReport): Entry[] {
  const fileOrder = new Map<string, number>();
  for (const r of report.results) if (!fileOrder.has(r.file)) fileOrder.set(r.file, fileOrder.size);
  const entries = report.results.flatMap((result) => result.violations.map((violation) => ({ result, violation })));
  return entries.sort((a, b) => {
    const va = a.violation;
    const vb = b.violation;
    return (
      (fileOrder.get(a.result.file) as number) - (fileOrder.get(b.result.file) as number) ||
      va.line - vb.line ||
      va.column - vb.column ||
      compareText(va.rule, vb.rule) ||
      compareText(va.message, vb.message)
    );
  });
}

/** Returns the items grouped by their `file`, groups in order of first appearance. */
export function groupByFile<T>(items: T[], fileOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const file = fileOf(item);
    const group = groups.get(file);
    if (group) group.push(item);
    else groups.set(file, [item]);
  }
  return groups;
}

/** Returns how many findings of each severity the report holds. */
export function countFindings(report: RunReport): { deny: number; warn: number } {
  let deny = 0;
  let warn = 0;
  for (const r of report.results) {
    for (const v of r.violations) {
      if (v.severity === 'deny') deny++;
      else warn++;
    }
  }
  return { deny, warn };
}

/** Returns `1 file`, `2 files`: a count with its noun. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** Returns a file name with forward slashes, without a leading `./` (`.\a\b.yaml` -> `a/b.yaml`). */
export function slashPath(file: string): string {
  return file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/**
 * Returns a short name for the object of a result, such as `EndpointSlice shop/web`; `undefined`
 * for a document that has no kind (one that did not parse).
 */
export function objectName(r: DocumentResult): string | undefined {
  if (r.kind === null) return undefined;
  const name = r.name ?? '(unnamed)';
  return `${r.kind} ${r.namespace === null ? name : `${r.namespace}/${name}`}`;
}

/** Returns `document 0` or `document 0, item 3` (for an item of a `List`). */
export function documentLabel(r: DocumentResult): string {
  return r.item === undefined ? `document ${r.document}` : `document ${r.document}, item ${r.item}`;
}

// C0 and C1 controls, and the bidirectional overrides that can make a terminal or a web page
// show something other than what is there ("Trojan Source", CVE-2021-42574).
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Returns the text with control and bidi-override characters written as `\u001b` escapes. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Compares by UTF-16 code units, the same on every machine and locale (unlike localeCompare). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
