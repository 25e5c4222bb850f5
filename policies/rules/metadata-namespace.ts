import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { dns1123LabelProblems } from '../names.ts';

export default defineRule<Record<string, never>, 'required' | 'invalid'>({
  meta: {
    id: 'metadata-namespace',
    category: 'apiserver',
    description: 'The namespace (the object\'s own, else the one it is written to) must be a DNS-1123 label.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      required: 'Slice has no namespace and none comes with the request; metadata.namespace is required.',
      invalid: 'Namespace {{namespace}} is not a valid DNS-1123 label: {{problems}}.',
    },
  },
  check(_object, { report, namespace }) {
    // 0.5: the engine resolves the namespace (the object's own, else --namespace or the
    // AdmissionReview's request.namespace), as the server copies the URL's namespace into the body.
    const path = pointer('metadata', 'namespace');
    if (namespace === undefined || namespace === '') {
      report({ messageId: 'required', path });
      return;
    }
    const problems = dns1123LabelProblems(namespace);
    if (problems.length > 0) report({ messageId: 'invalid', path, data: { namespace: quote(namespace), problems: problems.join('; ') } });
  },
});
