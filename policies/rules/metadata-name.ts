import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { dns1123SubdomainProblems, generatedName, maskTrailingDash } from '../names.ts';
import { isRecord, optionalString } from '../slice.ts';

type MessageId = 'required' | 'invalid' | 'invalidPrefix' | 'invalidGenerated';

export default defineRule<Record<string, never>, MessageId>({
  meta: {
    id: 'metadata-name',
    category: 'apiserver',
    description: 'metadata.name (or the name generated from generateName) must be a DNS-1123 subdomain; generateName must be a valid prefix.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      required: 'Slice has neither a name nor a generateName; one of them is required.',
      invalid: 'Name {{name}} is not a valid DNS-1123 subdomain: {{problems}}.',
      invalidPrefix: 'The generateName {{prefix}} is not a valid name prefix: {{problems}}.',
      invalidGenerated: 'Names generated from generateName {{prefix}} (such as {{name}}) are not valid DNS-1123 subdomains: {{problems}}.',
    },
  },
  check(object, { report, operation }) {
    const meta = isRecord(object.metadata) ? object.metadata : {};
    // null is absent (""); other types are the decode gate's, and then nothing here applies.
    const name = optionalString(meta, 'name');
    const prefix = optionalString(meta, 'generateName');
    if (prefix) {
      // C-M2: a trailing dash is allowed in a prefix; apimachinery masks it before the subdomain check.
      const problems = dns1123SubdomainProblems(maskTrailingDash(prefix));
      if (problems.length > 0) report({ messageId: 'invalidPrefix', path: pointer('metadata', 'generateName'), data: { prefix: quote(prefix), problems: problems.join('; ') } });
    }
    if (name === undefined) return;
    const path = pointer('metadata', 'name');
    if (!name && prefix && operation === 'CREATE') {
      // 0.4: the server generates the name before validating it, and validates the result.
      const generated = generatedName(prefix);
      const problems = dns1123SubdomainProblems(generated);
      if (problems.length > 0) report({ messageId: 'invalidGenerated', path, data: { prefix: quote(prefix), name: quote(generated, 70), problems: problems.join('; ') } });
      return;
    }
    if (!name) {
      report({ messageId: 'required', path });
      return;
    }
    const problems = dns1123SubdomainProblems(name);
    if (problems.length > 0) report({ messageId: 'invalid', path, data: { name: quote(name), problems: problems.join('; ') } });
  },
});
