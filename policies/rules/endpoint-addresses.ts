import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { forEachEndpoint, listLength, MAX_ADDRESSES } from '../slice.ts';

export default defineRule<Record<string, never>, 'required' | 'tooMany'>({
  meta: {
    id: 'endpoint-addresses',
    category: 'apiserver',
    description: 'Every endpoint needs 1 to 100 addresses.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      required: 'Endpoint {{index}} has no addresses; it needs at least 1.',
      tooMany: 'Endpoint {{index}} has {{count}} addresses; the limit is {{max}}.',
    },
    ratchet: 'endpoints',
  },
  check(slice, { report }) {
    // C-E2: absent, null and [] are all "no addresses". Over 100, each address is still
    // validated (by ip-address / fqdn-address); only the count is reported here.
    forEachEndpoint(slice, (endpoint, index) => {
      const count = listLength(endpoint.addresses);
      if (count === undefined || (count > 0 && count <= MAX_ADDRESSES)) return;
      const path = pointer('endpoints', index, 'addresses');
      if (count === 0) report({ messageId: 'required', path, data: { index } });
      else report({ messageId: 'tooMany', path, data: { index, count, max: MAX_ADDRESSES } });
    });
  },
});
