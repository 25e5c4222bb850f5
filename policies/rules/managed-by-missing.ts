import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import type { PatchOperation } from '../types.ts';
import { isRecord } from '../slice.ts';
import { CONTROLLER_MANAGERS, labelPath, MANAGED_BY_LABEL } from '../slice-policy.ts';

export default defineRule<{ value: string }, 'missing'>({
  meta: {
    id: 'managed-by-missing',
    category: 'policy',
    description: 'A hand-written slice should say who manages it in endpointslice.kubernetes.io/managed-by.',
    defaultSeverity: 'warn',
    fixable: true,
    schema: {
      type: 'object',
      properties: {
        // A label value; never a controller's own value: the endpointslice controller deletes
        // slices that carry its value and that it does not own.
        value: {
          type: 'string',
          minLength: 1,
          maxLength: 63,
          pattern: '^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$',
          not: { enum: CONTROLLER_MANAGERS },
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { value: 'sliceguard' },
    messages: {
      missing: 'Slice has no endpointslice.kubernetes.io/managed-by label; set it to the tool or team that writes it.',
    },
  },
  check(slice, { options, report }) {
    const meta = slice.metadata;
    if (!isRecord(meta)) return;
    const labels = meta.labels;
    if (labels !== undefined && labels !== null && !isRecord(labels)) return; // a type error, not ours
    const current = isRecord(labels) ? labels[MANAGED_BY_LABEL] : undefined;
    if (typeof current === 'string' && current !== '') return;
    if (current !== undefined && current !== null && typeof current !== 'string') return;
    // Patches are computed from the raw object: add the label, or the whole map when there is none.
    const fix: PatchOperation[] = isRecord(labels)
      ? [{ op: current === undefined ? 'add' : 'replace', path: pointer('metadata', 'labels', MANAGED_BY_LABEL), value: options.value }]
      : [{ op: labels === undefined ? 'add' : 'replace', path: pointer('metadata', 'labels'), value: { [MANAGED_BY_LABEL]: options.value } }];
    report({
      messageId: 'missing',
      path: isRecord(labels) ? pointer('metadata', 'labels') : pointer('metadata'),
      apiPath: labelPath(MANAGED_BY_LABEL),
      fix,
    });
  },
});
