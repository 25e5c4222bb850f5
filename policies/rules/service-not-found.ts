import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { labelOf, SERVICE_NAME_LABEL, labelPath } from '../slice-policy.ts';

export default defineRule<Record<string, never>, 'notFound'>({
  meta: {
    id: 'service-not-found',
    category: 'policy',
    description: 'The Service named by kubernetes.io/service-name must exist in the slice\'s namespace (when Services are known).',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      notFound: 'Label kubernetes.io/service-name names Service {{name}}, which does not exist in namespace {{namespace}}.',
    },
  },
  check(slice, { report, services, namespace }) {
    // No Service source at all (no Service in the input, no --services, no cluster): stay silent.
    if (!services || namespace === undefined) return;
    const name = labelOf(slice, SERVICE_NAME_LABEL);
    if (!name) return;
    if (services.get(namespace, name)) return;
    report({
      messageId: 'notFound',
      path: pointer('metadata', 'labels', SERVICE_NAME_LABEL),
      apiPath: labelPath(SERVICE_NAME_LABEL),
      // Both come from the input: a 1 MiB label value or namespace must not become a 1 MiB message.
      data: { name: quote(name, 64), namespace: namespace.length <= 63 ? namespace : quote(namespace) },
    });
  },
});
