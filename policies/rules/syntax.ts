import { defineRule } from '../define-rule.ts';

/**
 * A document that does not parse cannot be sent at all. The CLI reports such documents under
 * this id with the parser's message and position; the rule exists so that `sliceguard rules` and
 * docs/rules.md list it. It runs on no kind.
 */
export default defineRule<Record<string, never>, 'syntax'>({
  meta: {
    id: 'syntax',
    category: 'apiserver',
    description: 'Every document must be valid YAML or JSON; one that does not parse is refused whole.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: { syntax: 'Document does not parse: {{reason}}.' },
    kinds: [],
  },
  check() {
    // Parsing happens before evaluation; see cli/documents.ts.
  },
});
