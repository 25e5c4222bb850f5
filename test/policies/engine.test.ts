import { expect } from 'chai';
import { defineRule, type AnyRule } from '../../policies/define-rule.ts';
import { createPolicy } from '../../policies/policy.ts';
import { evaluate } from '../../policies/engine.ts';
import { pointer } from '../../policies/pointer.ts';
import { SliceguardError } from '../../policies/errors.ts';
import { slice } from '../helpers/fixtures.ts';

const perEndpoint = defineRule({
  meta: {
    id: 'test-endpoint', category: 'apiserver', description: 'Flags every endpoint.', defaultSeverity: 'deny', fixable: false,
    schema: { type: 'object', additionalProperties: false }, defaultOptions: {}, messages: { bad: 'Endpoint {{i}} is flagged.' }, ratchet: 'endpoints',
  },
  check(obj, { report }) {
    (obj.endpoints as unknown[]).forEach((_, i) => report({ messageId: 'bad', path: pointer('endpoints', i), data: { i } }));
  },
});
const warnRule = defineRule({
  meta: {
    id: 'test-warn', category: 'policy', description: 'Warns on every slice.', defaultSeverity: 'warn', fixable: false,
    schema: { type: 'object', properties: { max: { type: 'integer', minimum: 1 } }, additionalProperties: false }, defaultOptions: { max: 5 },
    messages: { w: 'Slice is looked at (max {{max}}).' },
  },
  check(_obj, { report, options }) {
    report({ messageId: 'w', path: pointer('metadata'), data: { max: (options as { max: number }).max } });
  },
});
const kindsRule = defineRule({
  meta: {
    id: 'test-kinds', category: 'apiserver', description: 'Runs on unserved slices.', defaultSeverity: 'deny', fixable: false,
    schema: { type: 'object' }, defaultOptions: {}, messages: { v: 'Version {{v}} is not served.' }, kinds: ['EndpointSlice'],
  },
  check(obj, { report }) {
    if (obj.apiVersion !== 'discovery.k8s.io/v1') report({ messageId: 'v', path: pointer('apiVersion'), data: { v: String(obj.apiVersion) } });
  },
});
const registry: AnyRule[] = [perEndpoint, warnRule, kindsRule];

describe('evaluate', () => {
  const policy = createPolicy({}, '<test>', registry);

  it('gives an empty report for documents that are not objects', () => {
    for (const v of [null, 3, 'x', [1]]) expect(evaluate(v, policy)).to.deep.equal({ allowed: true, findings: [], judged: false });
  });

  it('runs only rules that declare the kind on an unserved apiVersion', () => {
    const r = evaluate(slice({ apiVersion: 'discovery.k8s.io/v1beta1' }), policy);
    expect(r.findings.map((f) => f.rule)).to.deep.equal(['test-kinds']);
    expect(r.judged).to.equal(false);
    expect(r.allowed).to.equal(false);
  });

  it('sorts findings by pointer with numeric list indexes, then rule id', () => {
    const r = evaluate(slice({ endpoints: 12 }), policy);
    expect(r.findings.map((f) => f.path)).to.deep.equal([...Array.from({ length: 12 }, (_, i) => `endpoints[${i}]`), 'metadata']);
    expect(r.findings[11].message).to.equal('Endpoint 11 is flagged.');
  });

  describe('endpoint ratcheting on UPDATE (U-2)', () => {
    const old = slice({ endpoints: 2 });
    it('drops endpoint findings when endpoints are unchanged (1.33+)', () => {
      const r = evaluate(slice({ endpoints: 2, addressType: 'IPv6' }), policy, { operation: 'UPDATE', oldObject: old });
      expect(r.findings.map((f) => f.rule)).to.deep.equal(['test-warn']);
    });
    it('keeps them before 1.33', () => {
      const r = evaluate(slice({ endpoints: 2 }), policy, { operation: 'UPDATE', oldObject: old, kubeVersion: '1.32' });
      expect(r.findings.filter((f) => f.rule === 'test-endpoint')).to.have.length(2);
    });
    it('keeps them when one endpoint changed, or on CREATE', () => {
      const changed = slice({ endpoints: 2 });
      (changed.endpoints as { conditions: unknown }[])[1].conditions = { ready: false };
      expect(evaluate(changed, policy, { operation: 'UPDATE', oldObject: old }).findings).to.have.length(3);
      expect(evaluate(slice({ endpoints: 2 }), policy, { operation: 'CREATE', oldObject: old }).findings).to.have.length(3);
    });
    it('treats null, absent and empty lists as equal, as Semantic.DeepEqual does', () => {
      const r = evaluate(slice({ endpoints: [] }), policy, { operation: 'UPDATE', oldObject: slice({ endpoints: null }) });
      expect(r.findings.map((f) => f.rule)).to.deep.equal(['test-warn']);
    });
  });

  it('applies exemptions by namespace and label selector to policy rules only', () => {
    const p = createPolicy(
      { rules: { 'test-warn': { exemptions: [{ selector: { matchLabels: { team: 'a' } } }] } }, exemptions: [{ namespaces: ['kube-system'] }] },
      '<test>',
      registry,
    );
    expect(evaluate(slice({ metadata: { namespace: 'kube-system' } }), p).findings.map((f) => f.rule)).to.deep.equal(['test-endpoint']);
    expect(evaluate(slice({ labels: { team: 'a' } }), p).findings.map((f) => f.rule)).to.deep.equal(['test-endpoint']);
    expect(evaluate(slice({ labels: { team: 'b' } }), p).findings.map((f) => f.rule)).to.deep.equal(['test-endpoint', 'test-warn']);
  });

  it('uses the context namespace when the object has none', () => {
    const p = createPolicy({ exemptions: [{ namespaces: ['ops'] }] }, '<test>', registry);
    const obj = slice({ metadata: { namespace: undefined } });
    delete (obj.metadata as Record<string, unknown>).namespace;
    expect(evaluate(obj, p, { namespace: 'ops' }).findings.map((f) => f.rule)).to.deep.equal(['test-endpoint']);
  });

  it('turns warnings into denials under --strict', () => {
    const p = createPolicy({ strict: true }, '<test>', [warnRule]);
    const r = evaluate(slice(), p);
    expect(r.findings[0].severity).to.equal('deny');
    expect(r.allowed).to.equal(false);
  });

  it('throws SG_INTERNAL naming the rule when a rule fails', () => {
    const broken = defineRule({ ...perEndpoint, meta: { ...perEndpoint.meta, id: 'test-broken' }, check: () => { throw new TypeError('boom'); } });
    const p = createPolicy({}, '<test>', [broken]);
    expect(() => evaluate(slice(), p)).to.throw(SliceguardError, 'Rule test-broken failed: boom');
  });
});

describe('createPolicy', () => {
  const cases: [string, object, RegExp][] = [
    ['an unknown rule id', { rules: { 'no-such-rule': 'warn' } }, /^p\.yaml: rules\.no-such-rule: unknown rule id; known policy rules: test-warn\.$/],
    ['a bad severity', { rules: { 'test-warn': 'error' } }, /^p\.yaml: rules\.test-warn: severity "error" is not one of off, warn, deny\.$/],
    ['an API-server rule turned off', { rules: { 'test-endpoint': 'off' } }, /rules\.test-endpoint: API-server rules always deny/],
    ['an option out of range', { rules: { 'test-warn': { options: { max: 0 } } } }, /^p\.yaml: rules\.test-warn\.options\.max: must be >= 1\.$/],
    ['an unknown option', { rules: { 'test-warn': { options: { mx: 3 } } } }, /options: must NOT have additional properties \(mx\)\.$/],
  ];
  for (const [what, config, message] of cases) {
    it(`rejects ${what} with a message naming the file and key`, () => {
      expect(() => createPolicy(config, 'p.yaml', registry)).to.throw(SliceguardError, message);
    });
  }
  it('drops rules set to off and keeps the rest sorted by id', () => {
    expect(createPolicy({ rules: { 'test-warn': 'off' } }, '<t>', registry).rules.map((a) => a.rule.meta.id)).to.deep.equal(['test-endpoint', 'test-kinds']);
  });
});
