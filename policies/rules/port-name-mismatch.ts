import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { hasEndpoints, portId, portKeyOf, serviceOf, showList, showPort, type PortKey } from '../slice-policy.ts';
import type { ServiceInfo } from '../types.ts';

// A Service with more ports than this is matched through a set of its port identities (kept for
// the last such Service only: nothing per Service outlives its slices in `validate`'s memory).
const SCAN_MAX = 16;
let lastService: ServiceInfo | undefined;
let lastKnown: Set<string> | undefined;

/** True when the Service has a port of the slice port's name and protocol (kube-proxy joins on these; numbers play no part). */
function hasPort(service: ServiceInfo, key: PortKey): boolean {
  const ports = service.ports;
  if (ports.length <= SCAN_MAX) {
    for (let i = 0; i < ports.length; i++) if (ports[i].name === key.name && ports[i].protocol === key.protocol) return true;
    return false;
  }
  if (service !== lastService) (lastService = service), (lastKnown = new Set(ports.map(portId)));
  return (lastKnown as Set<string>).has(portId(key));
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
    let servicePorts: string | undefined;
    slice.ports.forEach((raw: unknown, i) => {
      const key = portKeyOf(raw);
      if (!key || hasPort(service, key)) return;
      servicePorts ??= showList(service.ports.map(showPort)) || 'it has no ports';
      const named = raw !== null && typeof raw === 'object' && typeof (raw as Record<string, unknown>).name === 'string';
      ctx.report({
        messageId: 'noServicePort',
        path: named ? pointer('ports', i, 'name') : pointer('ports', i),
        data: { port: showPort(key), service: service.name, servicePorts },
      });
    });
  },
});
