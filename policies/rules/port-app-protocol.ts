import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { qualifiedNameProblems } from '../names.ts';
import { forEachPort, optionalString } from '../slice.ts';

export default defineRule<Record<string, never>, 'invalid'>({
  meta: {
    id: 'port-app-protocol',
    category: 'apiserver',
    description: 'A port appProtocol, when present (even ""), must be a qualified name such as "http" or "example.com/proto".',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: { invalid: 'Port appProtocol {{value}} is not a qualified name: {{problems}}.' },
  },
  check(slice, { report }) {
    forEachPort(slice, (port, index) => {
      const value = optionalString(port, 'appProtocol');
      if (typeof value !== 'string') return;
      const problems = qualifiedNameProblems(value);
      if (problems.length === 0) return;
      report({ messageId: 'invalid', path: pointer('ports', index, 'appProtocol'), data: { value: quote(value), problems: problems.join('; ') } });
    });
  },
});
