import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { byteLength, goToLower, qualifiedNameProblems } from '../names.ts';
import { isRecord } from '../slice.ts';

/** apimachinery `TotalAnnotationSizeLimitB`: 256 KiB over all keys and values, in UTF-8 bytes. */
const MAX_ANNOTATION_BYTES = 256 * 1024;

export default defineRule<Record<string, never>, 'invalidKey' | 'tooLong'>({
  meta: {
    id: 'metadata-annotations',
    category: 'apiserver',
    description: 'Annotation keys must be qualified names (case-insensitive), and keys plus values at most 262144 UTF-8 bytes.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      invalidKey: 'Annotation key {{key}} is not a valid qualified name: {{problems}}.',
      tooLong: 'Annotations take {{size}} bytes (keys plus values, UTF-8); the limit is {{max}}.',
    },
  },
  check(object, { report }) {
    const meta = isRecord(object.metadata) ? object.metadata : undefined;
    if (!meta || !isRecord(meta.annotations)) return;
    // C-M5: both problems are reported at the map's path.
    const path = pointer('metadata', 'annotations');
    let size = 0;
    for (const [key, value] of Object.entries(meta.annotations)) {
      // Case does not matter in annotation keys: apimachinery lowercases them before the check.
      const problems = qualifiedNameProblems(goToLower(key));
      if (problems.length > 0) report({ messageId: 'invalidKey', path, data: { key: quote(key), problems: problems.join('; ') } });
      size += byteLength(key) + (typeof value === 'string' ? byteLength(value) : 0);
    }
    if (size > MAX_ANNOTATION_BYTES) report({ messageId: 'tooLong', path, data: { size, max: MAX_ANNOTATION_BYTES } });
  },
});
