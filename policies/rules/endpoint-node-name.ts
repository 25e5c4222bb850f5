import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { dns1123SubdomainProblems } from '../names.ts';
import { forEachEndpoint, optionalString } from '../slice.ts';

export default defineRule<Record<string, never>, 'invalid'>({
  meta: {
    id: 'endpoint-node-name',
    category: 'apiserver',
    description: 'An endpoint nodeName, when present (even ""), must be a DNS-1123 subdomain.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: { invalid: 'Endpoint nodeName {{value}} is not a valid node name: {{problems}}.' },
    ratchet: 'endpoints',
  },
  check(slice, { report }) {
    forEachEndpoint(slice, (endpoint, index) => {
      const value = optionalString(endpoint, 'nodeName');
      if (typeof value !== 'string') return;
      const problems = dns1123SubdomainProblems(value);
      if (problems.length === 0) return;
      report({ messageId: 'invalid', path: pointer('endpoints', index, 'nodeName'), data: { value: quote(value), problems: problems.join('; ') } });
    });
  },
});
