import rule from '../../../policies/rules/ip-address.ts';
import { ruleTester, type InvalidCase, type ValidCase } from '../../helpers/rule-tester.ts';
import { ipv4Endpoints, slice } from '../../helpers/fixtures.ts';
import { KUBE_VERSIONS, type EvalContext, type KubeVersion } from '../../../policies/types.ts';

type Family = 'IPv4' | 'IPv6';
const PRE_133: KubeVersion[] = ['1.32'];
const GATE_OFF: KubeVersion[] = ['1.33', '1.34', '1.35'];
const GATE_ON: KubeVersion[] = ['1.36', '1.37'];

function object(addressType: Family | string, addresses: unknown[], index = 0): Record<string, unknown> {
  const endpoints = [...Array.from({ length: index }, () => ({ addresses: ['10.9.9.9'] })), { addresses }];
  return slice({ addressType, endpoints });
}
function ctx(kubeVersion?: KubeVersion): EvalContext | undefined {
  return kubeVersion ? { kubeVersion } : undefined;
}
/** Valid cases: each address alone in a slice of that family, for each release given. */
function valid(family: Family, addresses: string[], versions: readonly KubeVersion[] = KUBE_VERSIONS): ValidCase[] {
  return versions.flatMap((v) => addresses.map((a) => ({ object: object(family, [a]), context: ctx(v), name: `${family} ${a} on ${v}` })));
}
/** Expected finding at `endpoints[i].addresses[j]`; `list` means the API server writes the un-indexed path. */
function at(messageId: string, j = 0, i = 0, list = false) {
  return { messageId, path: `/endpoints/${i}/addresses/${j}`, apiPath: list ? `endpoints[${i}].addresses` : `endpoints[${i}].addresses[${j}]` };
}
/** Invalid cases: each address alone, for each release given, with the message ids expected at index 0. */
function invalid(family: Family, addresses: string[], versions: readonly KubeVersion[], ...ids: (string | [string, 'list'])[]): InvalidCase[] {
  return versions.flatMap((v) =>
    addresses.map((a) => ({
      object: object(family, [a]),
      context: ctx(v),
      name: `${family} ${JSON.stringify(a)} on ${v}`,
      findings: ids.map((id) => (typeof id === 'string' ? at(id) : at(id[0], 0, 0, true))),
    })),
  );
}

const SPECIAL_V4 = ['0.0.0.0', '127.0.0.1', '127.255.255.255', '169.254.0.1', '169.254.169.254', '224.0.0.1', '224.0.0.251'];
const SPECIAL_V6 = ['::', '::1', 'fe80::1', 'fe80::9656:d028:8652:66b6', 'febf::1', 'ff02::1', 'ff12::1', 'ff32::2'];
const UNPARSABLE = ['', 'foo', '123.456.789.012', '1.2.3', '1.2.3.4.5', '1.2.3.256', '0x1.2.3.4', ' 10.1.2.3', '10.1.2.3 ', '10.1.2.3\n',
  '10.0.0.0/24', '10.1.2.3:80', '[2001:db8::1]', '2001:db8::1%eth0', 'fe80::1%lo0', '2001:4860:4860:defg', '2001:db8::10005', 'example.com'];

ruleTester.run(rule, {
  valid: [
    slice({}),
    // upstream good-slice, good-ipv6, max-endpoints addresses, and ranges ValidateEndpointIP lets through
    ...valid('IPv4', ['10.1.2.0', '10.1.2.254', '224.0.1.1', '239.255.255.250', '255.255.255.255', '0.1.2.3', '100.64.0.1', '192.168.1.1']),
    ...valid('IPv6', ['a00:100::4', '2001:db8::1', 'fec0::1', 'ff05::1', 'ff0e::1', 'ff01::1', 'fd00::1', 'fe7f::1', '1:0:1:2:3:4:5:6']),
    // IPv4 leading zeros and IPv4-mapped forms: legacy parse until StrictIPCIDRValidation is on (1.36)
    ...valid('IPv4', ['010.001.002.003', '10.1.2.03', '::ffff:10.1.2.3', '::ffff:a01:203', '0:0:0:0:0:ffff:10.1.2.3'], [...PRE_133, ...GATE_OFF]),
    // IPv6 before 1.33: sloppy parse only, so non-canonical text and 5-digit groups pass
    ...valid('IPv6', ['2001:0db8::1', '2001:DB8::1', '2001:db8:0:0:0:0:0:1', '2001:db8:0:0:1::1', '::1.2.3.4', '0002001:db8::1'], PRE_133),
    // C-A4: other address types skip IP checks entirely
    { object: object('FQDN', ['10.1.2.3', '::1']) },
    { object: object('IP', ['not an ip', '127.0.0.1']) },
    { object: object('', ['not an ip']) },
    { object: slice({ addressType: 7, endpoints: [{ addresses: ['bad'] }] }), name: 'wrong-typed addressType is the gate\'s' },
    // wrong-typed values are the decode gate's
    { object: object('IPv4', [7, null, { a: 1 }]) },
    { object: slice({ endpoints: [{ addresses: 'not-a-list' }, 'not-an-endpoint', null] }) },
    // C-E1: over 1000 endpoints nothing per endpoint is checked
    { object: slice({ endpoints: [...ipv4Endpoints(1000), { addresses: ['127.0.0.1', 'bad'] }] }), name: '1001 endpoints' },
    // more than 100 addresses: each is still checked, and these are all fine
    { object: slice({ endpoints: [{ addresses: Array.from({ length: 101 }, (_, k) => `10.0.${k}.1`) }] }) },
    // U-2: an UPDATE that leaves endpoints unchanged keeps addresses stored under older rules (1.33+)
    ...(['1.33', '1.36', '1.37'] as const).map((kubeVersion) => ({
      object: object('IPv4', ['010.1.2.3', '127.0.0.1']),
      context: { kubeVersion, operation: 'UPDATE' as const, oldObject: object('IPv4', ['010.1.2.3', '127.0.0.1']) },
      name: `ratcheted on ${kubeVersion}`,
    })),
    { object: object('IPv6', ['2001:0db8::1']), context: { operation: 'UPDATE', oldObject: object('IPv6', ['2001:0db8::1']) } },
  ],
  invalid: [
    // upstream bad-ip / bad-ipv4 / bad-ipv6 (1.33+ counts: 1, 2, 2)
    { object: object('IPv4', ['123.456.789.012']), findings: [at('invalid')] },
    { object: object('IPv4', ['123.456.789.012', '2001:4860:4860::8888']), findings: [at('invalid', 0), at('wrongFamily', 1, 0, true)] },
    { object: object('IPv6', ['123.456.789.012', '2001:4860:4860:defg']), findings: [at('invalid', 0), at('invalid', 1)] },
    { object: object('IPv4', ['2001:4860:4860::8888']), context: ctx('1.32'), findings: [at('wrongFamily', 0)], name: 'indexed before 1.33' },
    ...invalid('IPv4', UNPARSABLE, KUBE_VERSIONS, 'invalid'),
    ...invalid('IPv6', UNPARSABLE, KUBE_VERSIONS, 'invalid'),
    // upstream special-ipv4 / special-ipv6, and every range at its edges
    ...invalid('IPv4', SPECIAL_V4, KUBE_VERSIONS, 'special'),
    ...invalid('IPv6', SPECIAL_V6, KUBE_VERSIONS, 'special'),
    // the wrong family: indexed in 1.32, the un-indexed list path from 1.33; special ranges still apply
    ...invalid('IPv4', ['2001:db8::1', '0002001:db8::1'], PRE_133, 'wrongFamily'),
    ...invalid('IPv4', ['2001:db8::1', '2001:0DB8::1', '0002001:db8::1'], GATE_OFF, ['wrongFamily', 'list']),
    ...invalid('IPv4', ['2001:db8::1', '2001:0DB8::1'], GATE_ON, ['wrongFamily', 'list']),
    // (findings at one pointer sort by message: "is in the ... range" before "is not an ...")
    ...invalid('IPv4', ['::1'], PRE_133, 'special', 'wrongFamily'),
    ...invalid('IPv4', ['::1', 'fe80::1'], [...GATE_OFF, ...GATE_ON], 'special', ['wrongFamily', 'list']),
    ...invalid('IPv6', ['10.1.2.3', '::ffff:10.1.2.3', '010.1.2.3'], PRE_133, 'wrongFamily'),
    ...invalid('IPv6', ['127.0.0.1', '::ffff:127.0.0.1'], PRE_133, 'special', 'wrongFamily'),
    ...invalid('IPv6', ['10.1.2.3'], [...GATE_OFF, ...GATE_ON], ['wrongFamily', 'list']),
    ...invalid('IPv6', ['127.0.0.1'], [...GATE_OFF, ...GATE_ON], 'special', ['wrongFamily', 'list']),
    // strict parse of IPv4 slices from 1.36: one error, nothing else checked
    ...invalid('IPv4', ['010.001.002.003', '10.1.2.03', '::ffff:010.1.2.3', '127.000.000.001', '0002001:db8::1'], GATE_ON, 'leadingZeros'),
    ...invalid('IPv4', ['::ffff:10.1.2.3', '::ffff:a01:203', '0:0:0:0:0:ffff:10.1.2.3', '::ffff:127.0.0.1'], GATE_ON, 'ipv4Mapped'),
    // IPv6 slices from 1.33: strict and canonical, whatever the gate
    ...invalid('IPv6', ['2001:0db8::1', '2001:DB8::1', '2001:db8:0:0:0:0:0:1', '2001:db8:0:0:1::1', '2001:db8::0:1', '1::1:2:3:4:5:6',
      '::1.2.3.4', '0:0:0:0:0:0:0:1', '0001:002:03:4::'], [...GATE_OFF, ...GATE_ON], 'nonCanonical'),
    ...invalid('IPv6', ['::ffff:10.1.2.3', '::ffff:a01:203'], [...GATE_OFF, ...GATE_ON], 'ipv4Mapped'),
    ...invalid('IPv6', ['0002001:db8::1', '010.1.2.3', '::ffff:010.1.2.3'], [...GATE_OFF, ...GATE_ON], 'leadingZeros'),
    // paths carry both indexes, and every bad address of a long list is reported
    { object: object('IPv4', ['10.1.2.3', '127.0.0.1'], 2), findings: [at('special', 1, 2)] },
    {
      object: slice({ endpoints: [{ addresses: [...Array.from({ length: 100 }, (_, k) => `10.0.${k}.1`), '169.254.169.254'] }] }),
      findings: [at('special', 100)],
      name: 'the 101st address is still validated',
    },
    // no ratcheting before 1.33, and none once endpoints change
    {
      object: object('IPv4', ['127.0.0.1']),
      context: { kubeVersion: '1.32', operation: 'UPDATE', oldObject: object('IPv4', ['127.0.0.1']) },
      findings: [at('special')],
    },
    {
      object: slice({ endpoints: [{ addresses: ['2001:0db8::1'], conditions: { ready: false } }], addressType: 'IPv6' }),
      context: { operation: 'UPDATE', oldObject: slice({ endpoints: [{ addresses: ['2001:0db8::1'], conditions: { ready: true } }], addressType: 'IPv6' }) },
      findings: [at('nonCanonical')],
      name: 'a changed condition revalidates every address',
    },
  ],
});
