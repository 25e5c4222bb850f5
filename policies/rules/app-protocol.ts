import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { isRecord } from '../slice.ts';

// RFC 6335 §5.1 service names: 1-15 letters, digits and hyphens, at least one letter, no hyphen
// at either end or twice in a row. The IANA registry itself is too large to ship.
const SERVICE_NAME = /^(?=.*[A-Za-z])[A-Za-z0-9](?:-?[A-Za-z0-9])*$/;
const TRANSPORTS = ['tcp', 'udp', 'sctp'];
// The only values Kubernetes defines under its own prefix (core/v1 ServicePort.appProtocol).
const KUBERNETES_DEFINED = ['kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss'];

export default defineRule<Record<string, never>, 'transport' | 'unprefixed' | 'notServiceName' | 'kubernetesPrefix'>({
  meta: {
    id: 'app-protocol',
    category: 'policy',
    description: 'appProtocol should be an IANA service name or a domain-prefixed name, not the transport protocol.',
    defaultSeverity: 'warn',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      transport: 'App protocol {{value}} only repeats the transport protocol; name the application protocol, such as http.',
      unprefixed: 'App protocol {{value}} is defined by Kubernetes as {{prefixed}}; write it with the prefix.',
      notServiceName: 'App protocol {{value}} is not an IANA service name; prefix your own protocols with a domain.',
      kubernetesPrefix: 'App protocol {{value}} is not one Kubernetes defines ({{defined}}).',
    },
  },
  check(slice, { report }) {
    if (!Array.isArray(slice.ports)) return;
    slice.ports.forEach((port: unknown, i) => {
      if (!isRecord(port) || typeof port.appProtocol !== 'string' || port.appProtocol === '') return;
      const value = port.appProtocol;
      const path = pointer('ports', i, 'appProtocol');
      const data = { value: quote(value) };
      if (value.includes('/')) {
        if (value.startsWith('kubernetes.io/') && !KUBERNETES_DEFINED.includes(value)) {
          report({ messageId: 'kubernetesPrefix', path, data: { ...data, defined: KUBERNETES_DEFINED.join(', ') } });
        }
      } else if (TRANSPORTS.includes(value.toLowerCase())) {
        report({ messageId: 'transport', path, data });
      } else if (['h2c', 'ws', 'wss'].includes(value.toLowerCase())) {
        report({ messageId: 'unprefixed', path, data: { ...data, prefixed: `kubernetes.io/${value.toLowerCase()}` } });
      } else if (value.length > 15 || !SERVICE_NAME.test(value)) {
        report({ messageId: 'notServiceName', path, data });
      }
    });
  },
});
