import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { hasEndpoints, portId, portKeyOf, serviceOf, showList, showPort } from '../slice-policy.ts';
import type { ServiceInfo } from '../types.ts';

// Per Service, computed once: slices of a Service are many and its ports few.
const servicePortsCache = new WeakMap<ServiceInfo, { known: Set<string>; servicePorts: string }>();

/** Returns the Service's port identities and how a message lists them. */
function portsOf(service: ServiceInfo): { known: Set<string>; servicePorts: string } {
  let entry = servicePortsCache.get(service);
  if (!entry) {
    // kube-proxy joins slice ports to Service ports on (name, protocol); numbers play no part.
    entry = { known: new Set(service.ports.map(portId)), servicePorts: showList(service.ports.map(showPort)) || 'it has no ports' };
    servicePortsCache.set(service, entry);
  }
  return entry;
}

export default defineRule<Record<string, never>, 'noServicePort' | 'uncovered'>({
  meta: {
    id: 'port-name-mismatch',
    category: 'policy',
    description: 'Slice ports must match Service ports by name and protocol, and every Service port needs a slice with endpoints.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      noServicePort: 'Port {{port}} matches no port of Service {{service}} by name and protocol ({{servicePorts}}); kube-proxy sends it no traffic.',
      // Reported by the cross-slice check of `validate`, which sees all slices of a Service at once.
      uncovered: 'No slice of Service {{service}} with endpoints has {{ports}}, so traffic to it finds no backend.',
    },
  },
  check(slice, ctx) {
    // A slice without endpoints is the "no backends" shape; its ports are not judged.
    if (!hasEndpoints(slice) || !Array.isArray(slice.ports)) return;
    const service = serviceOf(slice, ctx);
    if (!service) return;
    const { known, servicePorts } = portsOf(service);
    slice.ports.forEach((raw: unknown, i) => {
      const key = portKeyOf(raw);
      if (!key || known.has(portId(key))) return;
      const named = raw !== null && typeof raw === 'object' && typeof (raw as Record<string, unknown>).name === 'string';
      ctx.report({
        messageId: 'noServicePort',
        path: named ? pointer('ports', i, 'name') : pointer('ports', i),
        data: { port: showPort(key), service: service.name, servicePorts },
      });
    });
  },
});
