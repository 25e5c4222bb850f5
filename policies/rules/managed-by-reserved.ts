import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { isRecord } from '../slice.ts';
import { CONTROLLER_MANAGERS, CONTROLLER_USERS_SCHEMA, isControllerWrite, labelOf, labelPath, MANAGED_BY_LABEL } from '../slice-policy.ts';

export default defineRule<{ controllerUsers: string[] }, 'reserved'>({
  meta: {
    id: 'managed-by-reserved',
    category: 'policy',
    description: 'Only the endpointslice controllers may label a slice as managed by them.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', properties: { controllerUsers: CONTROLLER_USERS_SCHEMA }, additionalProperties: false },
    defaultOptions: { controllerUsers: [] },
    messages: {
      reserved: 'Label endpointslice.kubernetes.io/managed-by is {{value}}, reserved for that controller; it deletes or overwrites this slice.',
    },
  },
  check(slice, ctx) {
    const value = labelOf(slice, MANAGED_BY_LABEL);
    if (value === undefined || !CONTROLLER_MANAGERS.includes(value)) return;
    // In the webhook the request's user decides; offline, every file is written by hand.
    if (isControllerWrite(ctx, ctx.options.controllerUsers)) return;
    // An UPDATE that keeps an existing claim is not a new one (the garbage collector and
    // `kubectl annotate` touch controller-owned slices too).
    if (ctx.mode === 'webhook' && ctx.operation === 'UPDATE' && isRecord(ctx.oldObject) && labelOf(ctx.oldObject, MANAGED_BY_LABEL) === value) return;
    ctx.report({
      messageId: 'reserved',
      path: pointer('metadata', 'labels', MANAGED_BY_LABEL),
      apiPath: labelPath(MANAGED_BY_LABEL),
      data: { value: JSON.stringify(value) },
    });
  },
});
