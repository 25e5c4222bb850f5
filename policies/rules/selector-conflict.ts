import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { CONTROLLER_USERS_SCHEMA, isControllerWrite, labelPath, serviceOf, SERVICE_NAME_LABEL } from '../slice-policy.ts';

export default defineRule<{ controllerUsers: string[] }, 'hasSelector'>({
  meta: {
    id: 'selector-conflict',
    category: 'policy',
    description: 'Do not hand-write slices for a Service that has a selector; the endpointslice controller owns its endpoints.',
    defaultSeverity: 'warn',
    fixable: false,
    schema: { type: 'object', properties: { controllerUsers: CONTROLLER_USERS_SCHEMA }, additionalProperties: false },
    defaultOptions: { controllerUsers: [] },
    messages: {
      hasSelector: 'Service {{service}} has a selector; the endpointslice controller also writes its slices.',
    },
  },
  check(slice, ctx) {
    if (isControllerWrite(ctx, ctx.options.controllerUsers)) return;
    const service = serviceOf(slice, ctx);
    if (!service?.hasSelector) return;
    ctx.report({
      messageId: 'hasSelector',
      path: pointer('metadata', 'labels', SERVICE_NAME_LABEL),
      apiPath: labelPath(SERVICE_NAME_LABEL),
      data: { service: service.name },
    });
  },
});
