import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { labelsOf, MCS_SERVICE_NAME_LABEL, SERVICE_NAME_LABEL, labelPath } from '../slice-policy.ts';

export default defineRule<Record<string, never>, 'missing' | 'empty'>({
  meta: {
    id: 'service-name-label',
    category: 'policy',
    description: 'A slice needs a non-empty kubernetes.io/service-name label, or kube-proxy and DNS ignore it.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      missing: 'Slice has no kubernetes.io/service-name label; kube-proxy and DNS ignore slices without it.',
      empty: 'Label kubernetes.io/service-name is empty; it must name the slice\'s Service.',
    },
  },
  check(slice, { report }) {
    const labels = labelsOf(slice);
    // Multi-Cluster Services imports are bound through their own label (KEP-1645), not this one.
    const mcs = labels?.[MCS_SERVICE_NAME_LABEL];
    if (typeof mcs === 'string' && mcs !== '') return;
    const value = labels?.[SERVICE_NAME_LABEL];
    if (value === undefined || value === null) {
      report({ messageId: 'missing', path: labels ? pointer('metadata', 'labels') : pointer('metadata') });
    } else if (value === '') {
      report({ messageId: 'empty', path: pointer('metadata', 'labels', SERVICE_NAME_LABEL), apiPath: labelPath(SERVICE_NAME_LABEL) });
    }
  },
});
