import rule from '../../../policies/rules/address-type.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const path = '/addressType';
const update = (from: unknown, to: unknown) => ({
  object: slice({ addressType: to }),
  context: { operation: 'UPDATE' as const, oldObject: slice({ addressType: from }) },
});

ruleTester.run(rule, {
  valid: [
    slice({ addressType: 'IPv4' }),
    slice({ addressType: 'IPv6' }),
    slice({ addressType: 'FQDN' }),
    // upstream "valid and identical slices"
    update('IPv6', 'IPv6'),
    { ...update('FQDN', 'FQDN'), name: 'FQDN is only a warning' },
    // wrong types are the decode gate's finding
    slice({ addressType: 4 }),
    { ...update(4, 'IPv4'), name: 'an unreadable old value is not compared' },
    { object: slice({ addressType: 'IPv4' }), context: { operation: 'CREATE', oldObject: slice({ addressType: 'IPv6' }) } },
  ],
  invalid: [
    // C-A1: no default in v1 (upstream empty-everything counts this one)
    { object: slice({ addressType: undefined }), findings: [{ messageId: 'required', path, apiPath: 'addressType' }] },
    { object: slice({ addressType: null }), findings: [{ messageId: 'required', path }] },
    { object: slice({ addressType: '' }), findings: [{ messageId: 'required', path }] },
    // C-A2: upstream deprecated-address-type and bad-address-type, and case variants
    ...['IP', 'other', 'ipv4', 'IPV6', 'fqdn', ' IPv4', 'IPv4 '].map((v) => ({ object: slice({ addressType: v }), findings: [{ messageId: 'notSupported', path }] })),
    // U-1 and upstream update cases: "deprecated address type" stays refused; a change is immutable
    { ...update('IP', 'IP'), findings: [{ messageId: 'notSupported', path }] },
    { ...update('other', 'IPv4'), findings: [{ messageId: 'immutable', path }] },
    { ...update('IPv4', 'IPv6'), findings: [{ messageId: 'immutable', path }] },
    { ...update('IPv6', 'FQDN'), findings: [{ messageId: 'immutable', path }] },
    { ...update('IPv4', 'IP'), findings: [{ messageId: 'notSupported', path }, { messageId: 'immutable', path }] },
    { ...update('IPv4', undefined), findings: [{ messageId: 'immutable', path }, { messageId: 'required', path }] },
    { ...update(undefined, 'IPv4'), findings: [{ messageId: 'immutable', path }] },
    { ...update('IPv4', 'IPv6'), context: { operation: 'UPDATE', kubeVersion: '1.32', oldObject: slice({ addressType: 'IPv4' }) }, findings: [{ messageId: 'immutable', path }] },
  ],
});
