import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';

/** The only version the API server serves EndpointSlices in (v1 since 1.21). */
const SERVED = 'discovery.k8s.io/v1';

/** Versions that were served once, with the release that removed them. */
const REMOVED: Record<string, string> = {
  'discovery.k8s.io/v1alpha1': '1.17',
  'discovery.k8s.io/v1beta1': '1.25',
};

export default defineRule<Record<string, never>, 'removed' | 'missing' | 'notServed'>({
  meta: {
    id: 'api-version',
    category: 'apiserver',
    description: 'EndpointSlices must be discovery.k8s.io/v1; v1beta1 was removed in Kubernetes 1.25.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      removed:
        'EndpointSlice {{version}} is not served since Kubernetes {{release}}; change apiVersion to discovery.k8s.io/v1, ' +
        'replace endpoints[].topology with nodeName and zone, and check the result again.',
      missing: 'EndpointSlice has no apiVersion; it must be discovery.k8s.io/v1.',
      notServed: 'EndpointSlice is not served in apiVersion {{version}}; use discovery.k8s.io/v1.',
    },
    // Unserved versions are exactly what this rule is for; nothing else runs on them.
    kinds: ['EndpointSlice'],
  },
  check(object, { report }) {
    const version = object.apiVersion;
    if (version === SERVED) return;
    const path = pointer('apiVersion');
    if (version === undefined || version === null || version === '') report({ messageId: 'missing', path });
    else if (typeof version === 'string' && Object.hasOwn(REMOVED, version)) report({ messageId: 'removed', path, data: { version, release: REMOVED[version] } });
    else report({ messageId: 'notServed', path, data: { version: quote(version) } });
  },
});
