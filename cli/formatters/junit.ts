import type { DocumentResult, Formatter, Violation } from '../report.ts';
import { documentLabel, groupByFile, objectName, slashPath, sortedEntries } from './shared.ts';

/**
 * Returns a JUnit XML report as GitLab and Jenkins read it: one `<testsuite>` per file, one
 * `<testcase>` per document (clean documents pass), the denials of a document as its one
 * `<failure>` (most readers show only the first), warnings in `<system-out>`. Times are 0: the
 * report is about manifests, and fixed values keep the bytes the same for the same input.
 */
const junit: Formatter = (report) => {
  const violations = new Map<DocumentResult, Violation[]>();
  for (const { result, violation } of sortedEntries(report)) violations.set(result, [...(violations.get(result) ?? []), violation]);
  const suites = [...groupByFile(report.results, (r) => r.file)].map(([file, results]) => suite(file, results, violations));
  const failures = report.results.filter((r) => !r.allowed).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sliceguard" tests="${report.results.length}" failures="${failures}" errors="0" skipped="0" time="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
};
export default junit;

function suite(file: string, results: DocumentResult[], violations: Map<DocumentResult, Violation[]>): string {
  const name = attr(slashPath(file));
  const failures = results.filter((r) => !r.allowed).length;
  const head = `  <testsuite name="${name}" tests="${results.length}" failures="${failures}" errors="0" skipped="0" time="0">`;
  return [head, ...results.map((r) => testcase(r, name, violations.get(r) ?? [])), '  </testsuite>'].join('\n');
}

function testcase(r: DocumentResult, file: string, found: Violation[]): string {
  const object = objectName(r);
  const name = object === undefined ? documentLabel(r) : `${object} (${documentLabel(r)})`;
  const open = `    <testcase name="${attr(name)}" classname="${file}" file="${file}" time="0"`;
  const denied = found.filter((v) => v.severity === 'deny');
  const warned = found.filter((v) => v.severity === 'warn');
  if (denied.length === 0 && warned.length === 0) return `${open}/>`;
  const body: string[] = [];
  if (denied.length > 0) {
    const message = denied.length === 1 ? `${denied[0].message} (${denied[0].rule})` : `${denied.length} problems: ${unique(denied).join(', ')}`;
    const type = denied.length === 1 ? denied[0].rule : 'sliceguard';
    body.push(`      <failure message="${attr(message)}" type="${attr(type)}">${text(lines(r, denied))}</failure>`);
  }
  if (warned.length > 0) body.push(`      <system-out>${text(lines(r, warned))}</system-out>`);
  return [`${open}>`, ...body, '    </testcase>'].join('\n');
}

/** `file:line:col  severity  message  rule-id` lines, as the text format prints them. */
function lines(r: DocumentResult, found: Violation[]): string {
  return found.map((v) => `${slashPath(r.file)}:${v.line}:${v.column}  ${v.severity}  ${v.message}  ${v.rule}\n`).join('');
}

function unique(found: Violation[]): string[] {
  return [...new Set(found.map((v) => v.rule))];
}

// XML 1.0 cannot carry these even as character references (https://www.w3.org/TR/xml/#charsets):
// C0 controls but tab, LF and CR; U+FFFE, U+FFFF; and halves of surrogate pairs on their own.
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function hex(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Returns character data with markup escaped and characters XML cannot hold written as `\uXXXX`. */
export function text(s: string): string {
  return s.replace(NOT_XML, hex).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/**
 * Returns an attribute value (for double quotes): as `text`, plus `"`, and tab and line breaks as
 * character references, which attribute-value normalisation would otherwise turn into spaces.
 */
export function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}
