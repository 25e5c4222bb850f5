import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { cidrContains, parseCIDRs, reservedUse, type CIDR } from '../cidr.ts';
import { addressTypeOf } from '../slice.ts';
import { addressesOf, CONTROLLER_USERS_SCHEMA, isControllerWrite } from '../slice-policy.ts';

interface Options {
  serviceCIDRs: string[];
  podCIDRs: string[];
  blockedCIDRs: string[];
  controllerUsers: string[];
}

const CIDR_LIST = { type: 'array', items: { type: 'string', format: 'cidr' }, uniqueItems: true };

const cache = new WeakMap<object, [CIDR[], string][]>();

function configured(options: Options): [CIDR[], string][] {
  let lists = cache.get(options);
  if (!lists) {
    lists = [
      [parseCIDRs(options.serviceCIDRs), 'in the Service CIDR'],
      [parseCIDRs(options.podCIDRs), 'in the pod CIDR'],
      [parseCIDRs(options.blockedCIDRs), 'in the blocked CIDR'],
    ];
    cache.set(options, lists);
  }
  return lists;
}

export default defineRule<Options, 'special'>({
  meta: {
    id: 'special-ip',
    category: 'policy',
    description: 'Endpoints must not point at multicast, broadcast, reserved, cloud metadata or configured cluster ranges (CVE-2021-25740).',
    defaultSeverity: 'deny',
    fixable: false,
    schema: {
      type: 'object',
      properties: { serviceCIDRs: CIDR_LIST, podCIDRs: CIDR_LIST, blockedCIDRs: CIDR_LIST, controllerUsers: CONTROLLER_USERS_SCHEMA },
      additionalProperties: false,
    },
    defaultOptions: { serviceCIDRs: [], podCIDRs: [], blockedCIDRs: [], controllerUsers: [] },
    messages: { special: 'Address {{address}} is {{what}}; it must not be an endpoint.' },
  },
  check(slice, ctx) {
    const family = addressTypeOf(slice);
    if (family !== 'IPv4' && family !== 'IPv6') return;
    // The controllers copy pod IPs, which may lie in any configured range.
    if (isControllerWrite(ctx, ctx.options.controllerUsers)) return;
    const lists = configured(ctx.options);
    const anyConfigured = lists.some(([cidrs]) => cidrs.length > 0);
    const { values, facts, endpoint, index } = addressesOf(slice, ctx);
    for (let k = 0; k < values.length; k++) {
      const ip = facts[k];
      // Unparsable, wrong-family and API-refused ranges are the API server's findings only.
      if (!ip || ip.v4 !== (family === 'IPv4') || ip.special) continue;
      const what = reservedUse(ip.ip.bytes, ip.canonical) ?? (anyConfigured ? inConfigured(ip.ip.bytes, lists) : undefined);
      if (what) ctx.report({ messageId: 'special', path: pointer('endpoints', endpoint[k], 'addresses', index[k]), data: { address: quote(values[k]), what } });
    }
  },
});

function inConfigured(bytes: ArrayLike<number>, lists: [CIDR[], string][]): string | undefined {
  for (const [cidrs, label] of lists) {
    for (const c of cidrs) if (cidrContains(c, bytes)) return `${label} ${c.text}`;
  }
  return undefined;
}
