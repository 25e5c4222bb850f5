import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { addressesOf, addressKey } from '../slice-policy.ts';

export default defineRule<Record<string, never>, 'inSlice' | 'acrossSlices'>({
  meta: {
    id: 'duplicate-address',
    category: 'policy',
    description: 'The same address should not back the same port twice, in one slice or across the slices of a Service.',
    defaultSeverity: 'warn',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      inSlice: 'Address {{address}} is also at endpoints[{{first}}]; it gets a double share of traffic.',
      // Reported by the cross-slice check of `validate`, which sees all slices of a Service at once.
      acrossSlices: 'Address {{address}} for port {{port}} is also in slice {{other}} of the same Service.',
    },
  },
  check(slice, ctx) {
    // Every port of a slice applies to every endpoint, so a repeat is a repeat for each port.
    const { values, facts, endpoint, index } = addressesOf(slice, ctx);
    if (values.length < 2) return;
    const seen = new Map<string, number>();
    const addressType = slice.addressType;
    for (let k = 0; k < values.length; k++) {
      const value = values[k];
      const key = addressKey(addressType, value, facts[k]);
      const first = seen.get(key);
      const i = endpoint[k];
      if (first === undefined) seen.set(key, i);
      else if (first !== i) ctx.report({ messageId: 'inSlice', path: pointer('endpoints', i, 'addresses', index[k]), data: { address: quote(value), first } });
    }
  },
});
