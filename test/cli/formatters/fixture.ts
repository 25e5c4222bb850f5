/** A fixed run report for the formatter tests: every case the formats must handle, in one run. */
import type { RunReport } from '../../../cli/report.ts';
import type { RuleInfo } from '../../../cli/formatters/rule-info.ts';

/** A message with everything that needs escaping somewhere: markup, `%`, `:`, `,`, ESC, CR, LF. */
export const HOSTILE = 'Value "<a&b> 100%, x:y\u001b[2J\r\n::error::fake" is odd.';

/** A file name with a space, `%`, `,` and `:`. */
export const ODD_FILE = 'deploy/a b%,c:d.yaml';

/**
 * Three files: deploy/web.yaml (a slice with two denials and a warning, findings listed in path
 * order as the engine sorts them; a clean Service; a document that does not parse), a List whose
 * second item has a warning with a hostile message, and a clean JSON file.
 */
export const REPORT: RunReport = {
  summary: { files: 3, documents: 5, endpointSlices: 4, denied: 2, warned: 2 },
  results: [
    {
      file: 'deploy/web.yaml', document: 0, line: 1, apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', namespace: 'shop', name: 'web-1', allowed: false,
      violations: [
        { rule: 'address-type', category: 'apiserver', severity: 'deny', path: 'addressType', pointer: '/addressType', message: 'Slice has no addressType; it must be IPv4, IPv6 or FQDN.', line: 1, column: 1 },
        { rule: 'ip-address', category: 'apiserver', severity: 'deny', path: 'endpoints[0].addresses[0]', pointer: '/endpoints/0/addresses/0', message: 'Address "10.0.0.256" is not a valid IP address.', line: 9, column: 19 },
        { rule: 'managed-by-missing', category: 'policy', severity: 'warn', path: 'metadata.labels', pointer: '/metadata/labels', message: 'Slice has no endpointslice.kubernetes.io/managed-by label.', line: 5, column: 3 },
      ],
    },
    { file: 'deploy/web.yaml', document: 1, line: 12, apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web', allowed: true, violations: [] },
    {
      file: 'deploy/web.yaml', document: 2, line: 20, apiVersion: null, kind: null, namespace: null, name: null, allowed: false,
      violations: [{ rule: 'syntax', category: 'apiserver', severity: 'deny', path: '', pointer: '', message: 'Unexpected end of the stream within a flow collection.', line: 21, column: 7 }],
    },
    { file: ODD_FILE, document: 0, item: 0, line: 4, apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', namespace: 'default', name: 'a', allowed: true, violations: [] },
    {
      file: ODD_FILE, document: 0, item: 1, line: 12, apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', namespace: 'default', name: null, allowed: true,
      violations: [{ rule: 'placeholder', category: 'policy', severity: 'warn', path: 'endpoints[0].hostname', pointer: '/items/1/endpoints/0/hostname', message: HOSTILE, line: 16, column: 17 }],
    },
    { file: 'clean.json', document: 0, line: 1, apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', namespace: 'default', name: 'c', allowed: true, violations: [] },
  ],
};

/** The rules the SARIF test describes, fixed here so that rewording a rule does not break it. */
export const RULE_INFOS: RuleInfo[] = [
  { id: 'address-type', category: 'apiserver', defaultSeverity: 'deny', enabledByDefault: true, fixable: false, description: 'addressType must be IPv4, IPv6 or FQDN.' },
  { id: 'ip-address', category: 'apiserver', defaultSeverity: 'deny', enabledByDefault: true, fixable: false, description: 'Addresses must be IPs of the slice family.' },
  { id: 'managed-by-missing', category: 'policy', defaultSeverity: 'warn', enabledByDefault: true, fixable: true, description: 'Say who manages a slice.' },
  { id: 'placeholder', category: 'policy', defaultSeverity: 'deny', enabledByDefault: false, fixable: false, description: 'No template text.' },
];

/** A report of a run that found nothing to check. */
export const EMPTY: RunReport = { summary: { files: 0, documents: 0, endpointSlices: 0, denied: 0, warned: 0 }, results: [] };

/** Options as the CLI passes them, without colour. */
export const PLAIN = { color: false, version: '1.2.3' };
