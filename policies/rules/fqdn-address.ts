import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { dns1123LabelProblems, dns1123SubdomainProblems } from '../names.ts';
import { addressTypeOf, forEachEndpoint } from '../slice.ts';

type MessageId = 'required' | 'invalid' | 'oneLabel' | 'invalidLabel';

/** Returns apimachinery's `IsFullyQualifiedDomainName` verdict for one address (§5): at most one problem. */
export function fqdnProblem(address: string): { messageId: MessageId; data?: Record<string, string> } | undefined {
  if (address === '') return { messageId: 'required' };
  // Exactly one trailing dot is allowed, and the 253-byte limit applies without it.
  const name = address.endsWith('.') ? address.slice(0, -1) : address;
  const problems = dns1123SubdomainProblems(name);
  if (problems.length > 0) return { messageId: 'invalid', data: { problems: problems.join('; ') } };
  const labels = name.split('.');
  if (labels.length < 2) return { messageId: 'oneLabel' };
  for (const label of labels) {
    const labelProblems = dns1123LabelProblems(label);
    if (labelProblems.length > 0) return { messageId: 'invalidLabel', data: { label: quote(label), problems: labelProblems.join('; ') } };
  }
  return undefined;
}

export default defineRule<Record<string, never>, MessageId>({
  meta: {
    id: 'fqdn-address',
    category: 'apiserver',
    description: 'Addresses of FQDN slices must be lowercase domain names with at least two labels.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      required: 'FQDN address is empty.',
      invalid: 'Address {{address}} is not a fully qualified domain name: {{problems}}.',
      oneLabel: 'Address {{address}} needs at least two labels separated by dots.',
      invalidLabel: 'Address {{address}} has the label {{label}}, which is not a DNS-1123 label: {{problems}}.',
    },
    ratchet: 'endpoints',
  },
  check(slice, { report }) {
    if (addressTypeOf(slice) !== 'FQDN') return;
    forEachEndpoint(slice, (endpoint, i) => {
      const addresses = endpoint.addresses;
      if (!Array.isArray(addresses)) return;
      addresses.forEach((value: unknown, j) => {
        if (typeof value !== 'string') return;
        const p = fqdnProblem(value);
        if (p) report({ messageId: p.messageId, path: pointer('endpoints', i, 'addresses', j), data: { address: quote(value), ...p.data } });
      });
    });
  },
});
