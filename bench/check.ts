/**
 * Checks a `validate --format json` report against the injected errors: every injected error is
 * denied with exactly its expected rules on its file and document, and nothing else is denied.
 */
import { relative } from 'node:path';
import type { Injection } from './generate.ts';

/** What the check found. */
export interface CheckResult {
  injected: number;
  /** Injected errors reported with exactly the expected deny rules. */
  matched: number;
  /** One line per disagreement (capped), e.g. `slices-003.yaml#17: expected [port-name], got []`. */
  problems: string[];
  /** Documents denied that carry no injected error. */
  unexpectedDenials: number;
  documents: number;
}

interface ReportShape {
  summary: { documents: number };
  results: { file: string; document: number; violations: { rule: string; severity: string }[] }[];
}

/** Returns the comparison of `reportText` (validate's JSON output over `manifests`) with `injected`. */
export function checkReport(reportText: string, manifests: string, injected: Injection[]): CheckResult {
  const report = JSON.parse(reportText) as ReportShape;
  const expected = new Map(injected.map((i) => [`${i.file}#${i.document}`, [...i.rules].sort().join(',')]));
  const seen = new Set<string>();
  const problems: string[] = [];
  let matched = 0;
  let unexpectedDenials = 0;
  for (const r of report.results) {
    const key = `${relative(manifests, r.file)}#${r.document}`;
    const got = [...new Set(r.violations.filter((v) => v.severity === 'deny').map((v) => v.rule))].sort().join(',');
    const want = expected.get(key);
    if (want === undefined && got === '') continue;
    if (want === undefined) unexpectedDenials++;
    else seen.add(key);
    if (got === want) matched++;
    else if (problems.length < 20) problems.push(`${key}: expected [${want ?? ''}], got [${got}]`);
  }
  for (const key of expected.keys()) if (!seen.has(key) && problems.length < 20) problems.push(`${key}: expected [${expected.get(key)}], no result`);
  return { injected: injected.length, matched, problems, unexpectedDenials, documents: report.summary.documents };
}
