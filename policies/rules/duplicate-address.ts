import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { addressKey, forEachAddress } from '../slice-policy.ts';

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
  check(slice, { report }) {
    // Every port of a slice applies to every endpoint, so a repeat is a repeat for each port.
    const seen = new Map<string, number>();
    const addressType = slice.addressType;
    forEachAddress(slice, (value, i, j) => {
      const key = addressKey(addressType, value);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else if (first !== i) report({ messageId: 'inSlice', path: pointer('endpoints', i, 'addresses', j), data: { address: quote(value), first } });
    });
  },
});
