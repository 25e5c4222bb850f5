import { defineRule } from '../define-rule.ts';
import { childPointer } from '../pointer.ts';
import { quote } from '../format.ts';

// A cheap first test, then the exact patterns: ${VAR}, {{ .Values.x }}, <your-ip>, REPLACE_ME, CHANGEME.
const MAYBE = /\$\{|\{\{|<[A-Za-z]|REPLACE_?ME|CHANGE_?ME/i;
const PATTERNS = [/\$\{[^}]*\}/, /\{\{.*?\}\}/s, /<[A-Za-z][A-Za-z0-9 _.:-]*>/, /(?<![A-Za-z0-9])(REPLACE_?ME|CHANGE_?ME)(?![A-Za-z0-9])/i];
// Walking a hostile document is bounded by the decoder's limits; this bounds the findings.
const MAX_FINDINGS = 20;

/** Returns the placeholder text in `s`, or undefined. */
function placeholderIn(s: string): string | undefined {
  if (!MAYBE.test(s)) return undefined;
  for (const p of PATTERNS) {
    const m = p.exec(s);
    if (m) return m[0];
  }
  return undefined;
}

export default defineRule<Record<string, never>, 'inValue' | 'inKey'>({
  meta: {
    id: 'placeholder',
    category: 'policy',
    description: 'No unreplaced template text (${...}, {{ ... }}, <...>, REPLACE_ME, CHANGEME) anywhere in the slice.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      inValue: 'Value contains the template placeholder {{text}}; render the manifest before applying it.',
      inKey: 'Key {{key}} contains the template placeholder {{text}}; render the manifest before applying it.',
    },
  },
  check(slice, { report }) {
    let count = 0;
    const visit = (value: unknown, at: string): void => {
      if (count >= MAX_FINDINGS) return;
      if (typeof value === 'string') {
        const text = placeholderIn(value);
        if (text) {
          count++;
          report({ messageId: 'inValue', path: at, data: { text: quote(text) } });
        }
      } else if (Array.isArray(value)) {
        value.forEach((v, i) => visit(v, childPointer(at, i)));
      } else if (value !== null && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          const text = placeholderIn(k);
          if (text && count < MAX_FINDINGS) {
            count++;
            report({ messageId: 'inKey', path: childPointer(at, k), data: { key: quote(k), text: quote(text) } });
          }
          visit(v, childPointer(at, k));
        }
      }
    };
    visit(slice, '');
  },
});
