import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { isRecord } from '../slice.ts';

export default defineRule<Record<string, never>, 'legacy'>({
  meta: {
    id: 'legacy-endpoints',
    category: 'policy',
    description: 'Write EndpointSlices, not core/v1 Endpoints (deprecated since Kubernetes 1.33).',
    defaultSeverity: 'warn',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      // docs/rules.md#legacy-endpoints shows the conversion field by field.
      legacy: 'Endpoints is deprecated since 1.33; write an EndpointSlice labelled kubernetes.io/service-name={{name}}.',
    },
    kinds: ['Endpoints'],
    modes: ['offline'],
  },
  check(object, { report }) {
    if (object.apiVersion !== 'v1') return;
    const meta = isRecord(object.metadata) ? object.metadata : {};
    const name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : '<service>';
    report({ messageId: 'legacy', path: pointer('kind'), data: { name } });
  },
});
