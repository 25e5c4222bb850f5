import { defineRule } from '../define-rule.ts';

export default defineRule<Record<string, never>, 'wrongType'>({
  meta: {
    id: 'field-type',
    category: 'apiserver',
    description: 'Every value must decode into its Go type: strings, booleans, 32- or 64-bit integers, RFC 3339 times, objects and lists.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      wrongType: 'Field {{path}} holds {{found}}; the API server can only decode {{expected}} here.',
    },
  },
  check(_slice, { decode, report }) {
    for (const p of decode.problems) {
      if (p.kind !== 'field-type') continue;
      report({
        messageId: 'wrongType',
        path: p.pointer,
        apiPath: p.path,
        data: { path: p.path, found: p.found ?? 'a value of another type', expected: p.expected ?? 'another type' },
      });
    }
  },
});
