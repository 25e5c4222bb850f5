import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { addressTypeOf, MAX_ENDPOINTS } from '../slice.ts';
import { addressesOf } from '../slice-policy.ts';
import { addressFacts, isIPv4Mapped } from '../ip.ts';

type MessageId = 'invalid' | 'leadingZeros' | 'ipv4Mapped' | 'nonCanonical' | 'wrongFamily' | 'special';

/** One problem with one address; `list` problems are reported at the un-indexed `addresses` path. */
export interface AddressProblem {
  messageId: MessageId;
  list?: boolean;
  data?: { canonical?: string; range?: string };
}

/** The release-dependent parts of apiserver-rules.md §4 (see its version table). */
export interface IPRules {
  /** 1.33+: IPv6 must be canonical (strict parse), and wrong-family errors use the un-indexed path. */
  since133: boolean;
  /** 1.36+: StrictIPCIDRValidation on, so IPv4 slices refuse leading zeros and IPv4-mapped forms. */
  since136: boolean;
}

const NONE: AddressProblem[] = [];
const INVALID: AddressProblem[] = [{ messageId: 'invalid' }];

/** Returns what kube-apiserver reports for one address of an IPv4 or IPv6 slice, in its order. */
export function addressProblems(value: string, family: 'IPv4' | 'IPv6', rules: IPRules, facts = addressFacts(value)): AddressProblem[] {
  if (!facts) return INVALID;
  const { ip, canonical } = facts;
  // Strict checks: the IPv6 branch always uses them from 1.33, the IPv4 branch only with the gate.
  const strict = family === 'IPv6' ? rules.since133 : rules.since136;
  // An array is made only for an address with a problem (nearly none has one).
  if (strict) {
    const leadingZeros = !ip.strict;
    const mapped = isIPv4Mapped(ip);
    // Any error from the parse step skips the family and special-range checks for this address.
    if (leadingZeros || mapped) {
      const out: AddressProblem[] = [];
      if (leadingZeros) out.push({ messageId: 'leadingZeros', data: { canonical } });
      if (mapped) out.push({ messageId: 'ipv4Mapped', data: { canonical } });
      return out;
    }
    if (family === 'IPv6' && value !== canonical) return [{ messageId: 'nonCanonical', data: { canonical } }];
  }
  const wrongFamily = facts.v4 !== (family === 'IPv4');
  if (!wrongFamily && !facts.special) return NONE;
  const out: AddressProblem[] = [];
  if (wrongFamily) out.push({ messageId: 'wrongFamily', list: rules.since133 });
  if (facts.special) out.push({ messageId: 'special', data: { range: facts.special } });
  return out;
}

export default defineRule<Record<string, never>, MessageId>({
  meta: {
    id: 'ip-address',
    category: 'apiserver',
    description: 'Addresses of IPv4 and IPv6 slices must be IPs of that family, in the form the release accepts, outside special ranges.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      invalid: 'Address {{address}} is not a valid IP address.',
      leadingZeros: 'Address {{address}} has leading zeros, which Kubernetes {{version}} refuses; write "{{canonical}}".',
      ipv4Mapped: 'Address {{address}} is an IPv4-mapped IPv6 address, which Kubernetes {{version}} refuses; write "{{canonical}}".',
      nonCanonical: 'IPv6 address {{address}} is not in canonical form; Kubernetes {{version}} requires "{{canonical}}".',
      wrongFamily: 'Address {{address}} is not an {{family}} address, but the slice has addressType {{family}}.',
      special: 'Address {{address}} is {{range}}; endpoints may not use it.',
    },
    ratchet: 'endpoints',
  },
  check(slice, ctx) {
    const family = addressTypeOf(slice);
    // C-A4: other address types skip the IP checks (FQDN has its own rule).
    if (family !== 'IPv4' && family !== 'IPv6') return;
    // C-E1: past 1000 endpoints none is validated one by one.
    if (Array.isArray(slice.endpoints) && slice.endpoints.length > MAX_ENDPOINTS) return;
    const rules: IPRules = { since133: ctx.atLeast('1.33'), since136: ctx.atLeast('1.36') };
    const { values, facts, endpoint, index } = addressesOf(slice, ctx);
    for (let k = 0; k < values.length; k++) {
      const value = values[k];
      const problems = addressProblems(value, family, rules, facts[k]);
      // Indexed: for...of made an iterator for every address, most of them without a problem.
      for (let q = 0; q < problems.length; q++) {
        const p = problems[q];
        const i = endpoint[k];
        ctx.report({
          messageId: p.messageId,
          path: pointer('endpoints', i, 'addresses', index[k]),
          apiPath: p.list ? `endpoints[${i}].addresses` : undefined,
          data: { address: quote(value), family, version: ctx.kubeVersion, ...p.data },
        });
      }
    }
  },
});
