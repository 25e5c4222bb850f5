import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { isRecord } from '../slice.ts';

// Server-populated fields (ObjectMeta) that only a live object has.
const SERVER_FIELDS = ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields'];
// apiserver's SimpleNameGenerator: the prefix cut to 58 bytes, then 5 characters of
// k8s.io/apimachinery/pkg/util/rand's alphabet (no vowels, no 0, 1, 3).
const GENERATED_SUFFIX = /^[bcdfghjklmnpqrstvwxz2456789]{5}$/;
const MAX_PREFIX = 58;

export default defineRule<Record<string, never>, 'serverField' | 'generatedName'>({
  meta: {
    id: 'exported-metadata',
    category: 'policy',
    description: 'Manifests should not carry metadata copied from a live object (uid, resourceVersion, managedFields, a generated name).',
    defaultSeverity: 'warn',
    fixable: true,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      serverField: 'Field metadata.{{field}} is set by the API server; remove this copy from a live object.',
      generatedName: 'Name {{name}} is generateName plus a generated suffix from a live object; pick a stable name.',
    },
    modes: ['offline'],
  },
  check(slice, { report }) {
    const meta = slice.metadata;
    if (!isRecord(meta)) return;
    for (const field of SERVER_FIELDS) {
      // `kubectl create --dry-run=client -o yaml` writes `creationTimestamp: null`; that copies nothing.
      if (meta[field] === undefined || meta[field] === null) continue;
      const path = pointer('metadata', field);
      report({ messageId: 'serverField', path, data: { field }, fix: [{ op: 'remove', path }] });
    }
    const { name, generateName } = meta;
    if (typeof name === 'string' && typeof generateName === 'string' && generateName !== '') {
      const prefix = generateName.slice(0, MAX_PREFIX);
      if (name.startsWith(prefix) && GENERATED_SUFFIX.test(name.slice(prefix.length))) {
        report({ messageId: 'generatedName', path: pointer('metadata', 'name'), data: { name: quote(name, 60) } });
      }
    }
  },
});
