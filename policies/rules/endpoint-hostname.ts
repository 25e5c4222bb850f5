import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { dns1123LabelProblems } from '../names.ts';
import { forEachEndpoint, optionalString } from '../slice.ts';

export default defineRule<Record<string, never>, 'invalid'>({
  meta: {
    id: 'endpoint-hostname',
    category: 'apiserver',
    description: 'An endpoint hostname, when present (even ""), must be a DNS-1123 label.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: { invalid: 'Endpoint hostname {{value}} is not a valid DNS-1123 label: {{problems}}.' },
    ratchet: 'endpoints',
  },
  check(slice, { report }) {
    forEachEndpoint(slice, (endpoint, index) => {
      const value = optionalString(endpoint, 'hostname');
      if (typeof value !== 'string') return;
      const problems = dns1123LabelProblems(value);
      if (problems.length === 0) return;
      report({ messageId: 'invalid', path: pointer('endpoints', index, 'hostname'), data: { value: quote(value), problems: problems.join('; ') } });
    });
  },
});
