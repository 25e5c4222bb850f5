import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { dns1123LabelProblems } from '../names.ts';
import { forEachPort, optionalString } from '../slice.ts';

export default defineRule<Record<string, never>, 'invalid' | 'duplicate' | 'duplicateUnnamed'>({
  meta: {
    id: 'port-name',
    category: 'apiserver',
    description: 'Port names must be DNS-1123 labels and unique across all ports; only one port may be unnamed.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      invalid: 'Port name {{name}} is not a valid DNS-1123 label: {{problems}}.',
      duplicate: 'Port name {{name}} is already used by port {{first}}; names must be unique across all ports.',
      duplicateUnnamed: 'Port {{index}} has no name, like port {{first}}; only one port may be unnamed.',
    },
  },
  check(slice, { report }) {
    const seen = new Map<string, number>();
    forEachPort(slice, (port, index) => {
      // 0.2: an absent or null name defaults to "", which is valid once and counts for C-P3.
      const raw = optionalString(port, 'name');
      if (raw === undefined) return;
      const name = raw ?? '';
      const path = () => pointer('ports', index, 'name');
      if (name !== '') {
        const problems = dns1123LabelProblems(name);
        if (problems.length > 0) report({ messageId: 'invalid', path: path(), data: { name: quote(name), problems: problems.join('; ') } });
      }
      const first = seen.get(name);
      if (first === undefined) seen.set(name, index);
      else if (name === '') report({ messageId: 'duplicateUnnamed', path: path(), data: { index, first } });
      else report({ messageId: 'duplicate', path: path(), data: { name: quote(name), first } });
    });
  },
});
