import { defineRule } from '../define-rule.ts';
import { quote } from '../format.ts';
import { parsePointer } from '../pointer.ts';

/** Fields of discovery.k8s.io/v1beta1 endpoints that v1 renamed or dropped, with what to write instead. */
const V1BETA1_FIELDS: Record<string, string> = {
  topology: 'write nodeName and zone instead (deprecatedTopology is not writable through v1)',
};

export default defineRule<Record<string, never>, 'unknown' | 'wrongCase' | 'v1beta1'>({
  meta: {
    id: 'unknown-field',
    category: 'apiserver',
    description: 'Every field must exist in discovery.k8s.io/v1 EndpointSlice; strict decoding refuses unknown fields.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      unknown: 'The field {{field}} does not exist in {{where}}; the API server refuses unknown fields.',
      wrongCase: 'The field {{field}} does not exist in {{where}}; field names are case-sensitive: use {{suggestion}}.',
      v1beta1: 'The field {{field}} of {{where}} existed only in discovery.k8s.io/v1beta1; {{instead}}.',
    },
  },
  check(_slice, { decode, report }) {
    for (const p of decode.problems) {
      if (p.kind !== 'unknown-field' || p.field === undefined) continue;
      const parent = p.path.slice(0, p.path.length - p.field.length).replace(/\.$/, '');
      const where = parent === '' ? 'an EndpointSlice' : parent;
      const field = quote(p.field);
      const base = { path: p.pointer, apiPath: p.path };
      // Own keys only: a field named `__proto__` must not find Object.prototype here.
      const instead = isEndpointField(p.pointer) && Object.hasOwn(V1BETA1_FIELDS, p.field) ? V1BETA1_FIELDS[p.field] : undefined;
      if (instead) report({ ...base, messageId: 'v1beta1', data: { field, where, instead } });
      else if (p.suggestion) report({ ...base, messageId: 'wrongCase', data: { field, where, suggestion: quote(p.suggestion) } });
      else report({ ...base, messageId: 'unknown', data: { field, where } });
    }
  },
});

/** True for `/endpoints/<i>/<field>`. */
function isEndpointField(ptr: string): boolean {
  const segs = parsePointer(ptr);
  return segs.length === 3 && segs[0] === 'endpoints';
}
