import rule from '../../../policies/rules/special-ip.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const v4 = (...addresses: string[]) => slice({ endpoints: addresses.map((a) => ({ addresses: [a] })) });
const v6 = (...addresses: string[]) => slice({ addressType: 'IPv6', endpoints: addresses.map((a) => ({ addresses: [a] })) });
const at = (i: number) => ({ messageId: 'special', path: `/endpoints/${i}/addresses/0` });
const cidrs = { serviceCIDRs: ['10.96.0.0/12', 'fd00:10:96::/112'], podCIDRs: ['10.244.0.0/16'], blockedCIDRs: ['192.168.0.0/16'] };

ruleTester.run(rule, {
  valid: [
    v4('10.0.0.1', '192.168.1.1', '100.64.0.1', '223.255.255.255', '1.0.0.0'),
    v6('2001:db8::1', 'fd00::1', 'fec0::1', 'fd00:ec2::253'),
    { object: v4('127.0.0.1', '169.254.169.254', '0.0.0.0', '224.0.0.1'), name: 'ranges the API server refuses are its findings only' },
    { object: v6('::1', 'fe80::1', '::', 'ff02::1', 'ff12::1'), name: 'IPv6 ranges the API server refuses' },
    { object: v4('not-an-ip', '2001:db8::1'), name: 'unparsable and wrong-family addresses are API-server findings' },
    { object: slice({ addressType: 'FQDN', endpoints: [{ addresses: ['224.0.1.1'] }] }), name: 'FQDN slices are not IP slices' },
    { object: v4('10.97.0.1', '10.244.1.2'), options: { serviceCIDRs: ['10.96.0.0/16'], podCIDRs: ['10.245.0.0/16'] }, name: 'just outside the configured ranges' },
    { object: v4('10.244.1.2'), options: cidrs, context: { mode: 'webhook', userInfo: { username: 'system:serviceaccount:kube-system:endpointslice-controller' } }, name: 'the controller copies pod IPs' },
    { object: v4('240.1.2.3'), options: { controllerUsers: ['system:k3s-controller'] }, context: { mode: 'webhook', userInfo: { username: 'system:k3s-controller' } } },
  ],
  invalid: [
    { object: v4('224.0.1.1', '239.255.255.250'), findings: [at(0), at(1)], name: 'multicast beyond the link-local /24' },
    { object: v4('255.255.255.255'), findings: [{ ...at(0), message: 'Address "255.255.255.255" is the broadcast address; it must not be an endpoint.' }] },
    { object: v4('0.1.2.3', '240.0.0.1'), findings: [at(0), at(1)], name: '0.0.0.0/8 and 240.0.0.0/4' },
    { object: v4('100.100.100.200', '168.63.129.16', '192.0.0.192'), findings: [{ ...at(0), message: 'Alibaba Cloud metadata' }, at(1), at(2)] },
    { object: v6('fd00:ec2::254', 'fd20:ce::254', 'fd00:ec2::23', 'ff05::2'), findings: [{ ...at(0), message: 'AWS instance metadata' }, { ...at(1), message: 'Google Cloud metadata' }, at(2), { ...at(3), message: 'multicast' }] },
    { object: v6('FD00:EC2::254'), findings: [at(0)], name: 'compared in canonical form' },
    {
      object: v4('10.96.0.10', '10.244.3.4', '192.168.7.7'),
      options: cidrs,
      findings: [{ ...at(0), message: 'in the Service CIDR 10.96.0.0/12' }, { ...at(1), message: 'in the pod CIDR 10.244.0.0/16' }, { ...at(2), message: 'in the blocked CIDR 192.168.0.0/16' }],
      name: 'CVE-2021-25740: configured cluster ranges',
    },
    { object: v6('fd00:10:96::a'), options: cidrs, findings: [at(0)], name: 'an IPv6 Service CIDR' },
    { object: v4('10.244.3.4'), options: cidrs, context: { mode: 'webhook', userInfo: { username: 'alice' } }, findings: [at(0)], name: 'a person through the webhook' },
    { object: slice({ endpoints: [{ addresses: ['10.0.0.1', '224.0.1.1'] }] }), findings: [{ messageId: 'special', path: '/endpoints/0/addresses/1', apiPath: 'endpoints[0].addresses[1]' }] },
  ],
});
