import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { forEachPort, optionalString } from '../slice.ts';

const SUPPORTED = ['TCP', 'UDP', 'SCTP'];

export default defineRule<Record<string, never>, 'notSupported'>({
  meta: {
    id: 'port-protocol',
    category: 'apiserver',
    description: 'A port protocol must be exactly TCP, UDP or SCTP; omitted means TCP, but an explicit "" is refused.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: { notSupported: 'Port protocol {{protocol}} is not supported; use TCP, UDP or SCTP (case-sensitive).' },
  },
  check(slice, { report }) {
    forEachPort(slice, (port, index) => {
      // 0.2: an absent or null protocol defaults to TCP; "" is not defaulted (C-P4).
      const protocol = optionalString(port, 'protocol');
      if (typeof protocol !== 'string' || SUPPORTED.includes(protocol)) return;
      report({ messageId: 'notSupported', path: pointer('ports', index, 'protocol'), data: { protocol: quote(protocol) } });
    });
  },
});
