import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';

export default defineRule<Record<string, never>, 'deprecated'>({
  meta: {
    id: 'fqdn-deprecated',
    category: 'policy',
    description: 'addressType FQDN is deprecated and kube-proxy does not program it.',
    defaultSeverity: 'warn',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      // The API server's own warning is "spec.addressType: FQDN endpoints are deprecated".
      deprecated: 'Address type FQDN is deprecated and ignored by kube-proxy; only some gateways resolve it.',
    },
  },
  check(slice, { report }) {
    if (slice.addressType === 'FQDN') report({ messageId: 'deprecated', path: pointer('addressType') });
  },
});
