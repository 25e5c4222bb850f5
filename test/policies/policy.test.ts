import { expect } from 'chai';
import { createPolicy, didYouMean } from '../../policies/policy.ts';
import { evaluate } from '../../policies/engine.ts';
import { fixObject } from '../../policies/fix.ts';
import { slice } from '../helpers/fixtures.ts';
import { ServiceIndex } from '../../policies/services.ts';

const unlabelled = (extra: Record<string, unknown> = {}) =>
  slice({ labels: { 'kubernetes.io/service-name': 'example' }, ...extra });
const rules = (object: unknown, config = {}, context = {}) =>
  evaluate(object, createPolicy(config), context).findings.map((f) => `${f.rule}:${f.severity}`);

describe('createPolicy: exemptions', () => {
  it('exempts by namespace, for every policy rule when global', () => {
    const config = { exemptions: [{ namespaces: ['kube-system'] }] };
    expect(rules(unlabelled(), config)).to.deep.equal(['managed-by-missing:warn']);
    expect(rules(unlabelled({ metadata: { name: 'x', namespace: 'kube-system' } }), config)).to.deep.equal([]);
  });

  it('exempts by label selector (matchLabels and matchExpressions), per rule', () => {
    const config = {
      rules: {
        'service-name-label': { exemptions: [{ selector: { matchLabels: { 'example.com/import': 'true' } } }] },
        'managed-by-missing': { exemptions: [{ selector: { matchExpressions: [{ key: 'team', operator: 'In' as const, values: ['edge', 'core'] }] } }] },
      },
    };
    const imported = slice({ labels: { 'example.com/import': 'true', team: 'edge' } });
    expect(rules(imported, config)).to.deep.equal([]);
    expect(rules(slice({ labels: { team: 'edge' } }), config)).to.deep.equal(['service-name-label:deny']);
  });

  it('needs every condition of one exemption (namespace and selector)', () => {
    const config = { exemptions: [{ namespaces: ['dev'], selector: { matchLabels: { tier: 'test' } } }] };
    expect(rules(unlabelled({ metadata: { name: 'x', namespace: 'dev' } }), config)).to.deep.equal(['managed-by-missing:warn']);
    const both = slice({ metadata: { name: 'x', namespace: 'dev' }, labels: { tier: 'test', 'kubernetes.io/service-name': 'example' } });
    expect(rules(both, config)).to.deep.equal([]);
  });

  it('uses the effective namespace (--namespace) for documents without one', () => {
    const config = { exemptions: [{ namespaces: ['dev'] }] };
    const object = unlabelled({ metadata: { name: 'x', namespace: undefined } });
    expect(rules(object, config, { namespace: 'dev' })).to.deep.equal([]);
    expect(rules(object, config, { namespace: 'prod' })).to.deep.equal(['managed-by-missing:warn']);
  });

  it('never exempts API-server findings', () => {
    const config = { exemptions: [{ namespaces: ['dev'] }] };
    const object = slice({ metadata: { name: 'x', namespace: 'dev' }, addressType: 'IP' });
    expect(rules(object, config)).to.include('address-type:deny');
  });
});

describe('createPolicy: severities', () => {
  it('makes every warning a denial under strict', () => {
    expect(rules(unlabelled(), { strict: true })).to.deep.equal(['managed-by-missing:deny']);
  });

  it('keeps opt-in rules off unless named', () => {
    const object = slice({ endpoints: [{ addresses: ['10.0.0.1'] }] });
    expect(rules(object)).to.deep.equal([]);
    expect(rules(object, { rules: { 'explicit-conditions': 'deny' } })).to.deep.equal(['explicit-conditions:deny']);
    expect(rules(object, { rules: { 'explicit-conditions': 'off' } })).to.deep.equal([]);
  });

  it('suggests the closest rule id', () => {
    expect(didYouMean('managed-by-mising', ['managed-by-missing', 'max-endpoints'])).to.equal('managed-by-missing');
    expect(didYouMean('zzz', ['managed-by-missing'])).to.equal(undefined);
  });
});

describe('fixObject with the policy rules', () => {
  it('applies every fix once, computed from the raw object, and re-evaluates', () => {
    const policy = createPolicy({ rules: { 'explicit-conditions': 'warn' } });
    const object = slice({ labels: { 'kubernetes.io/service-name': 'example' }, addressType: 'IPv6', endpoints: [{ addresses: ['2001:DB8::1'] }] });
    const { patch, object: fixed, report } = fixObject(object, policy);
    expect(patch.map((op) => `${op.op} ${op.path}`)).to.deep.equal([
      'add /endpoints/0/conditions',
      'replace /endpoints/0/addresses/0',
      'add /metadata/labels/endpointslice.kubernetes.io~1managed-by',
    ]);
    expect(report.findings).to.deep.equal([]);
    expect((fixed as { endpoints: unknown[] }).endpoints).to.deep.equal([{ addresses: ['2001:db8::1'], conditions: { ready: true, serving: true, terminating: false } }]);
    expect((object.endpoints as { addresses: string[] }[])[0].addresses[0]).to.equal('2001:DB8::1');
  });
});

describe('policy warnings', () => {
  it('stay under 120 characters for typical objects (the webhook sends them as whole strings)', () => {
    const policy = createPolicy({ rules: { 'explicit-conditions': 'warn', 'fqdn-lowercase': 'warn', 'owner-reference': 'warn' } });
    const index = new ServiceIndex();
    index.set({ namespace: 'default', name: 'checkout-payments-api', hasSelector: true, ports: [{ name: 'http', protocol: 'TCP' }], ipFamilies: ['IPv6'], uid: 'u' });
    const objects = [
      slice({ labels: { 'kubernetes.io/service-name': 'checkout-payments-api' }, addressType: 'IPv6', ports: [{ name: 'http', appProtocol: 'TCP' }], endpoints: [{ addresses: ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '2001:db8:85a3::8a2e:370:7334'] }, { addresses: ['2001:db8:85a3::8a2e:370:7334'] }] }),
      slice({ metadata: { name: 'checkout-payments-api-x2b4z', generateName: 'checkout-payments-api-', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' }, addressType: 'FQDN', ports: [{ name: 'http', appProtocol: 'h2c' }], endpoints: [{ addresses: ['Payments.Example.com'] }] }),
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'checkout-payments-api', namespace: 'default' } },
    ];
    const warnings = objects.flatMap((o) => evaluate(o, policy, { services: index }).findings.filter((f) => f.severity === 'warn'));
    expect(new Set(warnings.map((f) => f.rule)).size).to.be.greaterThan(10);
    for (const f of warnings) expect(f.message.length, f.message).to.be.at.most(120);
  });
});
