import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { labelValueProblems, qualifiedNameProblems } from '../names.ts';
import { isRecord } from '../slice.ts';

export default defineRule<Record<string, never>, 'invalidKey' | 'invalidValue'>({
  meta: {
    id: 'metadata-labels',
    category: 'apiserver',
    description: 'Label keys must be qualified names and label values valid label values (at most 63 characters).',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      invalidKey: 'Label key {{key}} is not a valid qualified name: {{problems}}.',
      invalidValue: 'Label {{key}} has the value {{value}}, which is not a valid label value: {{problems}}.',
    },
  },
  check(object, { report }) {
    const meta = isRecord(object.metadata) ? object.metadata : undefined;
    if (!meta || !isRecord(meta.labels)) return;
    // C-M4: the API server reports every label problem at the map's path, never per key.
    const path = pointer('metadata', 'labels');
    for (const [key, raw] of Object.entries(meta.labels)) {
      const keyProblems = qualifiedNameProblems(key);
      if (keyProblems.length > 0) report({ messageId: 'invalidKey', path, data: { key: quote(key), problems: keyProblems.join('; ') } });
      // null decodes as ""; other types are the decode gate's.
      const value = raw === null ? '' : raw;
      if (typeof value !== 'string') continue;
      const valueProblems = labelValueProblems(value);
      if (valueProblems.length > 0) report({ messageId: 'invalidValue', path, data: { key: quote(key), value: quote(value), problems: valueProblems.join('; ') } });
    }
  },
});
