import type { Formatter } from '../report.ts';
import { ruleInfos, RULES_DOC_URL, type RuleInfo } from './rule-info.ts';
import { compareText, slashPath, sortedEntries, type Entry } from './shared.ts';

// The schema's own id (OASIS SARIF 2.1.0, errata 01).
const SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const HOME = 'https://github.com/sliceguard/sliceguard';

/**
 * Returns a SARIF 2.1.0 log for GitHub code scanning (github/codeql-action/upload-sarif): one
 * run whose driver lists the rules that have results (sorted by id, with a link to their section
 * of docs/rules.md), and one result per finding, located by a relative URI with forward slashes
 * and a 1-based line and column (UTF-16 code units, as the CLI counts them).
 */
const sarif: Formatter = (report, options) => {
  const known = new Map((options.rules ?? ruleInfos()).map((r) => [r.id, r]));
  const entries = sortedEntries(report);
  const ids = [...new Set(entries.map((e) => e.violation.rule))].sort(compareText);
  const index = new Map(ids.map((id, i) => [id, i]));
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sliceguard',
            version: options.version,
            semanticVersion: options.version,
            informationUri: HOME,
            rules: ids.map((id) => descriptor(id, known.get(id))),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: entries.map((e) => result(e, index.get(e.violation.rule) as number)),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
};
export default sarif;

function descriptor(id: string, info: RuleInfo | undefined): Record<string, unknown> {
  if (!info) return { id };
  return {
    id,
    shortDescription: { text: info.description },
    helpUri: `${RULES_DOC_URL}#${id}`,
    // Opt-in rules are off unless a policy turns them on; `enabled: false` says so.
    defaultConfiguration: { enabled: info.enabledByDefault, level: level(info.defaultSeverity) },
    properties: { category: info.category, fixable: info.fixable, tags: ['kubernetes', 'endpointslice', info.category] },
  };
}

function result({ result: r, violation: v }: Entry, ruleIndex: number): Record<string, unknown> {
  return {
    ruleId: v.rule,
    ruleIndex,
    level: level(v.severity),
    message: { text: v.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: fileUri(r.file) },
          region: { startLine: v.line, startColumn: v.column },
        },
      },
    ],
    properties: {
      category: v.category,
      path: v.path,
      pointer: v.pointer,
      document: r.document,
      ...(r.item === undefined ? {} : { item: r.item }),
    },
  };
}

function level(severity: string): 'error' | 'warning' {
  return severity === 'deny' ? 'error' : 'warning';
}

/**
 * Returns the URI of an input file: relative paths stay relative (code scanning resolves them
 * against the repository root), absolute ones become `file:` URIs, each segment percent-encoded;
 * standard input is `stdin`.
 */
export function fileUri(file: string): string {
  if (file === '<stdin>') return 'stdin';
  const path = slashPath(file);
  const absolute = path.startsWith('/') || /^[A-Za-z]:\//.test(path);
  const encoded = path
    .split('/')
    .map((seg, i) => (i === 0 && /^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg)))
    .join('/');
  if (!absolute) return encoded;
  return encoded.startsWith('/') ? `file://${encoded}` : `file:///${encoded}`;
}
