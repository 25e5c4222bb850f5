import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { addressTypeOf, isRecord } from '../slice.ts';

/** The v1 address types; the v1alpha1 `IP` type is refused on create and update alike (C-A2). */
const SUPPORTED = ['IPv4', 'IPv6', 'FQDN'];

export default defineRule<Record<string, never>, 'required' | 'notSupported' | 'immutable'>({
  meta: {
    id: 'address-type',
    category: 'apiserver',
    description: 'addressType must be IPv4, IPv6 or FQDN, and cannot change on update.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      required: 'Slice has no addressType; it must be IPv4, IPv6 or FQDN.',
      notSupported: 'Address type {{value}} is not supported; use IPv4, IPv6 or FQDN (case-sensitive).',
      immutable: 'Address type cannot change on update: it was {{old}} and is now {{value}}.',
    },
  },
  check(slice, { report, operation, oldObject }) {
    // Wrong-typed values are the decode gate's; there is no default in v1, so absent is "".
    const value = addressTypeOf(slice);
    if (value === undefined) return;
    const path = pointer('addressType');
    if (value === '') report({ messageId: 'required', path });
    else if (!SUPPORTED.includes(value)) report({ messageId: 'notSupported', path, data: { value: quote(value) } });
    if (operation !== 'UPDATE' || !isRecord(oldObject)) return;
    // U-1: ValidateImmutableField compares the raw strings, whatever either of them is.
    const old = addressTypeOf(oldObject);
    if (old !== undefined && old !== value) report({ messageId: 'immutable', path, data: { old: quote(old), value: quote(value) } });
  },
});
