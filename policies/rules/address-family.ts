import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { isIPv4, parseIP } from '../ip.ts';
import { addressTypeOf } from '../slice.ts';
import { serviceOf } from '../slice-policy.ts';

export default defineRule<Record<string, never>, 'notInFamilies' | 'clusterIPFamily'>({
  meta: {
    id: 'address-family',
    category: 'policy',
    description: 'An IPv4 or IPv6 slice must be of one of its Service\'s IP families.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      notInFamilies: 'Slice has addressType {{family}}, but Service {{service}} has ipFamilies {{families}}; kube-proxy ignores it.',
      clusterIPFamily: 'Slice has addressType {{family}}, but Service {{service}} has {{other}} clusterIP {{clusterIP}}; kube-proxy ignores it.',
    },
  },
  check(slice, ctx) {
    const family = addressTypeOf(slice);
    // FQDN and invalid address types are not IP families (the latter are API-server findings).
    if (family !== 'IPv4' && family !== 'IPv6') return;
    const service = serviceOf(slice, ctx);
    if (!service) return;
    const path = pointer('addressType');
    if (service.ipFamilies.length > 0) {
      if (!service.ipFamilies.includes(family)) {
        ctx.report({ messageId: 'notInFamilies', path, data: { family, service: service.name, families: service.ipFamilies.join(', ') } });
      }
      return;
    }
    // Without ipFamilies (a manifest before defaulting), a clusterIP that is an IP tells the family;
    // headless (`None`) and ExternalName Services without families are not judged.
    const ip = service.clusterIP ? parseIP(service.clusterIP) : undefined;
    if (!ip) return;
    const other = isIPv4(ip.bytes) ? 'IPv4' : 'IPv6';
    if (other !== family) {
      ctx.report({ messageId: 'clusterIPFamily', path, data: { family, other, service: service.name, clusterIP: service.clusterIP as string } });
    }
  },
});
