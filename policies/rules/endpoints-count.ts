import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { listLength, MAX_ENDPOINTS } from '../slice.ts';

export default defineRule<Record<string, never>, 'tooMany'>({
  meta: {
    id: 'endpoints-count',
    category: 'apiserver',
    description: 'A slice may have at most 1000 endpoints.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: { tooMany: 'Slice has {{count}} endpoints; the limit is {{max}}.' },
    ratchet: 'endpoints',
  },
  check(slice, { report }) {
    // C-E1: over the limit the API server stops validating endpoints, so every other endpoint
    // rule reads the list through forEachEndpoint(), which then visits nothing.
    const count = listLength(slice.endpoints);
    if (count !== undefined && count > MAX_ENDPOINTS) {
      report({ messageId: 'tooMany', path: pointer('endpoints'), data: { count, max: MAX_ENDPOINTS } });
    }
  },
});
