import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { forEachObjectEndpoint } from '../slice-policy.ts';
import { quote } from '../format.ts';

export default defineRule<Record<string, never>, 'several'>({
  meta: {
    id: 'multi-address-endpoint',
    category: 'policy',
    description: 'Give each backend its own endpoint; consumers use only the first address of an endpoint.',
    defaultSeverity: 'warn',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      several: 'Endpoint has {{count}} addresses; kube-proxy uses only the first, {{first}}.',
    },
  },
  check(slice, { report }) {
    forEachObjectEndpoint(slice, (endpoint, i) => {
      const addresses = endpoint.addresses;
      if (!Array.isArray(addresses) || addresses.length < 2) return;
      report({ messageId: 'several', path: pointer('endpoints', i, 'addresses'), data: { count: addresses.length, first: showFirst(addresses[0]) } });
    });
  },
});

/** A string address as written (shortened); anything else quoted, so an object never shows as [object Object]. */
function showFirst(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 45) : quote(value);
}
