import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';

// A cheap first test, then the exact patterns: ${VAR}, {{ .Values.x }}, <your-ip>, REPLACE_ME, CHANGEME.
const MAYBE = /\$\{|\{\{|<[A-Za-z]|REPLACE_?ME|CHANGE_?ME/i;
const PATTERNS = [/\$\{[^}]*\}/, /\{\{.*?\}\}/s, /<[A-Za-z][A-Za-z0-9 _.:-]*>/, /(?<![A-Za-z0-9])(REPLACE_?ME|CHANGE_?ME)(?![A-Za-z0-9])/i];
// Walking a hostile document is bounded by the decoder's limits; this bounds the findings.
const MAX_FINDINGS = 20;
// The webhook's JSON has no depth limit of its own; no EndpointSlice field nests anywhere near this.
const MAX_DEPTH = 1000;

// Field names of the EndpointSlice schema: keys that are these cannot hold a placeholder, so they
// are not tested (two thirds of a slice's strings are keys, and nearly all of them are these).
const FIELD_NAMES = new Set([
  'apiVersion', 'kind', 'metadata', 'name', 'generateName', 'namespace', 'labels', 'annotations', 'uid', 'resourceVersion',
  'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'ownerReferences', 'finalizers',
  'managedFields', 'manager', 'operation', 'time', 'fieldsType', 'fieldsV1', 'subresource', 'controller', 'blockOwnerDeletion',
  'addressType', 'endpoints', 'addresses', 'conditions', 'ready', 'serving', 'terminating', 'hostname', 'targetRef', 'nodeName',
  'zone', 'hints', 'forZones', 'forNodes', 'ports', 'port', 'protocol', 'appProtocol', 'fieldPath', 'selfLink',
]);

/** Returns the placeholder text in `s`, or undefined. */
function placeholderIn(s: string): string | undefined {
  if (!MAYBE.test(s)) return undefined;
  for (const p of PATTERNS) {
    const m = p.exec(s);
    if (m) return m[0];
  }
  return undefined;
}

/** True when some key or string in `value` passes the cheap test (always true past MAX_DEPTH). */
function mayHoldPlaceholder(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return MAYBE.test(value);
  if (value === null || typeof value !== 'object') return false;
  if (depth > MAX_DEPTH) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (mayHoldPlaceholder(value[i], depth + 1)) return true;
    return false;
  }
  for (const k in value) {
    if ((!FIELD_NAMES.has(k) && MAYBE.test(k)) || mayHoldPlaceholder((value as Record<string, unknown>)[k], depth + 1)) return true;
  }
  return false;
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
    // Nearly every slice is clean: a quick yes/no walk first, the walk that tracks places only then.
    if (!mayHoldPlaceholder(slice, 0)) return;
    let count = 0;
    // Segments of the current place; a pointer is built only for a finding (most strings are clean).
    const at: (string | number)[] = [];
    const found = (messageId: 'inValue' | 'inKey', data: Record<string, string>): void => {
      count++;
      report({ messageId, path: pointer(...at), data });
    };
    const visit = (value: unknown): void => {
      if (count >= MAX_FINDINGS || at.length > MAX_DEPTH) return;
      if (typeof value === 'string') {
        const text = placeholderIn(value);
        if (text) found('inValue', { text: quote(text) });
      } else if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          at.push(i);
          visit(value[i]);
          at.pop();
        }
      } else if (value !== null && typeof value === 'object') {
        for (const k in value) {
          at.push(k);
          const text = FIELD_NAMES.has(k) ? undefined : placeholderIn(k);
          if (text && count < MAX_FINDINGS) found('inKey', { key: quote(k), text: quote(text) });
          visit((value as Record<string, unknown>)[k]);
          at.pop();
        }
      }
    };
    visit(slice);
  },
});
