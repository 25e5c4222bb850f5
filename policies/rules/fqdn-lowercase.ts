import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { forEachObjectEndpoint } from '../slice-policy.ts';

export default defineRule<Record<string, never>, 'upperCase'>({
  meta: {
    id: 'fqdn-lowercase',
    category: 'policy',
    description: 'Opt-in fix: lower-case FQDN addresses (DNS names are case-insensitive; the API server accepts only lower case).',
    defaultSeverity: 'warn',
    fixable: true,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: { upperCase: 'FQDN address {{address}} has upper-case letters; write {{lower}}.' },
    // Opt-in: the fix rewrites what the writer typed, even if only its case (RFC 4343).
    optIn: true,
  },
  check(slice, { report }) {
    if (slice.addressType !== 'FQDN') return;
    forEachObjectEndpoint(slice, (endpoint, i) => {
      if (!Array.isArray(endpoint.addresses)) return;
      endpoint.addresses.forEach((value: unknown, j) => {
        if (typeof value !== 'string') return;
        // ASCII only: the API server refuses non-ASCII names anyway, and Unicode case mapping would
        // turn them into other names.
        const lower = value.replace(/[A-Z]+/g, (s) => s.toLowerCase());
        if (lower === value) return;
        const path = pointer('endpoints', i, 'addresses', j);
        report({ messageId: 'upperCase', path, data: { address: quote(value), lower: quote(lower) }, fix: [{ op: 'replace', path, value: lower }] });
      });
    });
  },
});
