import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { listLength, MAX_PORTS } from '../slice.ts';

export default defineRule<Record<string, never>, 'tooMany'>({
  meta: {
    id: 'ports-count',
    category: 'apiserver',
    description: 'A slice may have at most 20000 ports (the documented 100 is stale).',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: { tooMany: 'Slice has {{count}} ports; the limit is {{max}}.' },
  },
  check(slice, { report }) {
    // C-P1: raised from 100 to 20000 in 1.21 (kubernetes/kubernetes#99795). Over the limit the
    // API server validates no single port, and the per-port rules stay silent too.
    const count = listLength(slice.ports);
    if (count !== undefined && count > MAX_PORTS) report({ messageId: 'tooMany', path: pointer('ports'), data: { count, max: MAX_PORTS } });
  },
});
