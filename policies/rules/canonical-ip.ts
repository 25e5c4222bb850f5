import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { addressTypeOf } from '../slice.ts';
import { addressesOf } from '../slice-policy.ts';

export default defineRule<Record<string, never>, 'nonCanonical'>({
  meta: {
    id: 'canonical-ip',
    category: 'policy',
    description: 'Write IP addresses in canonical form (no leading zeros, no IPv4-mapped form, RFC 5952 IPv6); fixable.',
    defaultSeverity: 'warn',
    fixable: true,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      // The API server warns about these (warnOnBadIPs) and refuses non-canonical IPv6 from 1.33.
      nonCanonical: 'Address {{address}} is not in canonical form; write {{canonical}}.',
    },
  },
  check(slice, ctx) {
    const family = addressTypeOf(slice);
    if (family !== 'IPv4' && family !== 'IPv6') return;
    const { values, facts, endpoint, index } = addressesOf(slice, ctx);
    for (let k = 0; k < values.length; k++) {
      const ip = facts[k];
      // Only a rewrite that keeps the address in the slice's family: the canonical form of
      // `::ffff:1.2.3.4` is `1.2.3.4`, right for an IPv4 slice and still wrong for an IPv6 one.
      if (!ip || ip.v4 !== (family === 'IPv4') || ip.canonical === values[k]) continue;
      const canonical = ip.canonical;
      const path = pointer('endpoints', endpoint[k], 'addresses', index[k]);
      ctx.report({ messageId: 'nonCanonical', path, data: { address: quote(values[k]), canonical: quote(canonical) }, fix: [{ op: 'replace', path, value: canonical }] });
    }
  },
});
