/**
 * Property-based tests of the policy core with hostile input: random and mutated EndpointSlices
 * never make `evaluate` throw, every report is well formed, passing slices survive a no-op YAML or
 * JSON round trip, fixes are idempotent and never add an API-server finding, and nothing pollutes a
 * built-in prototype. Seeded, so a failure reproduces; numRuns keep the file near 10 s on 2 cores.
 */
import { config, expect } from 'chai';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { evaluate } from '../../policies/engine.ts';
import { fixObject } from '../../policies/fix.ts';
import { createPolicy, type Policy } from '../../policies/policy.ts';
import { RULES } from '../../policies/rules/index.ts';
import { KUBE_VERSIONS, type EvalContext, type Finding } from '../../policies/types.ts';
import { KUBECTL_YAML_SCHEMA } from '../../cli/yaml-schema.ts';
import { parseYamlDocuments } from '../../cli/documents.ts';
import { withServices } from '../helpers/services.ts';
import { service, slice } from '../helpers/fixtures.ts';
import { hostileValue, mutatedSlice, realisticSlice } from './arbitraries.ts';
import { freezeAll, pollution, prototypeSnapshot, reportProblems, safeJson } from './report-checks.ts';

const DEFAULT = createPolicy({}, '<default>');
/** Every policy rule on, opt-in ones included, with cluster ranges for special-ip. */
const EVERYTHING = createPolicy({
  rules: {
    ...Object.fromEntries(RULES.filter((r) => r.meta.category === 'policy').map((r) => [r.meta.id, 'warn'])),
    'special-ip': { severity: 'deny', options: { serviceCIDRs: ['10.96.0.0/12', 'fd00:10:96::/108'], podCIDRs: ['10.244.0.0/16'], blockedCIDRs: ['192.0.2.0/24'] } },
  },
}, '<everything>');
const STRICT = createPolicy({ strict: true }, '<strict>');

const SERVICES = withServices(service(), service({ name: 'selected', selector: { app: 'x' } }), service({ name: 'dual', ipFamilies: ['IPv4', 'IPv6'] })).services;
const USERS = [undefined, { username: 'system:serviceaccount:kube-system:endpointslice-controller' }, { username: 'alice', groups: ['system:authenticated'] }];

const context: fc.Arbitrary<EvalContext> = fc.record({
  kubeVersion: fc.constantFrom(...KUBE_VERSIONS),
  mode: fc.constantFrom('offline' as const, 'webhook' as const),
  namespace: fc.constantFrom(undefined, 'default', ''),
  userInfo: fc.constantFrom(...USERS),
  services: fc.constantFrom(undefined, SERVICES),
});
const POLICIES: Record<string, Policy> = { default: DEFAULT, everything: EVERYTHING, strict: STRICT };
/** Policies by name, so that a counterexample prints a name and not the whole policy. */
const policy = fc.constantFrom('default', 'everything', 'strict');
const anyObject = fc.oneof({ weight: 6, arbitrary: mutatedSlice }, { weight: 1, arbitrary: hostileValue });

config.truncateThreshold = 0;
// `FUZZ_SEED=n FUZZ_SCALE=k mocha test/hardening/core-properties.test.ts` for a longer hunt.
const SEED = Number(process.env.FUZZ_SEED ?? 0);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const runs = (numRuns: number, seed: number) => ({ numRuns: Math.round(numRuns * SCALE), seed: seed + SEED });
let before = prototypeSnapshot();
beforeEach(() => {
  before = prototypeSnapshot();
});
afterEach(() => {
  expect(pollution(before), 'built-in prototypes after the test').to.deep.equal([]);
});

/** Evaluates a frozen copy (a rule that writes to its input throws) and checks report and prototypes. */
function checkedEvaluate(object: unknown, p: Policy, ctx: EvalContext) {
  const report = evaluate(freezeAll(object), p, ctx);
  expect(reportProblems(object, report).join('\n'), safeJson(object).slice(0, 300)).to.equal('');
  expect(pollution(before)).to.deep.equal([]);
  return report;
}

describe('hardening: evaluate on hostile objects', () => {
  it('never throws and always returns a well-formed report (CREATE, every release, every door)', () => {
    fc.assert(
      fc.property(anyObject, policy, context, (object, p, ctx) => {
        checkedEvaluate(object, POLICIES[p], ctx);
      }),
      runs(1500, 9001),
    );
  });

  it('never throws on UPDATE with a hostile old object', () => {
    fc.assert(
      fc.property(anyObject, anyObject, policy, context, (object, oldObject, p, ctx) => {
        checkedEvaluate(object, POLICIES[p], { ...ctx, operation: 'UPDATE', oldObject: freezeAll(oldObject) });
      }),
      runs(700, 9002),
    );
  });

  it('judges a slice that went through JSON.parse with __proto__ and constructor keys as data', () => {
    const text = '{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},' +
      '"metadata":{"name":"x","namespace":"default","labels":{"__proto__":"x"},"__proto__":{"admin":true}},"addressType":"IPv4","endpoints":[{"addresses":["10.0.0.1"],"__proto__":[]}]}';
    const report = checkedEvaluate(JSON.parse(text), DEFAULT, {});
    expect(report.findings.filter((f) => f.rule === 'unknown-field').map((f) => f.path)).to.have.members(['__proto__', 'constructor', 'metadata.__proto__', 'endpoints[0].__proto__']);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});

describe('hardening: depth the API server can forward', () => {
  // kube-apiserver decodes JSON up to 10000 levels and keeps managedFields[].fieldsV1 as written; a
  // rule that recursed over it failed, and with --on-error allow a failed review is an allowed one.
  const deep = (levels: number): Record<string, unknown> => {
    const root: Record<string, unknown> = {};
    let at = root;
    for (let i = 0; i < levels; i++) at = (at['f:a'] = {}) as Record<string, unknown>;
    return root;
  };
  const withFields = (extra: Record<string, unknown> = {}) => slice({
    metadata: { managedFields: [{ manager: 'm', operation: 'Update', apiVersion: 'discovery.k8s.io/v1', fieldsType: 'FieldsV1', fieldsV1: deep(9000) }] },
    endpoints: [{ addresses: ['100.100.100.200'] }],
    ...extra,
  });

  it('a 9000-level fieldsV1 is judged: special-ip still denies the metadata address', () => {
    for (const ctx of [{}, { mode: 'webhook' as const }, { operation: 'UPDATE' as const, oldObject: slice() }]) {
      const report = checkedEvaluate(withFields(), DEFAULT, ctx);
      expect(report.findings.map((f) => `${f.rule} ${f.path}`), JSON.stringify(ctx)).to.include('special-ip endpoints[0].addresses[0]');
      expect(report.allowed).to.equal(false);
    }
  });

  it('9000 levels under an endpoint on UPDATE (the ratchet compares them) do not throw', () => {
    const endpoints = [{ addresses: ['10.0.0.1'], x: deep(9000) }];
    const report = checkedEvaluate(withFields({ endpoints }), DEFAULT, { operation: 'UPDATE', oldObject: withFields({ endpoints }) });
    expect(report.findings.map((f) => f.rule)).to.include('unknown-field');
  });
});

/** The findings of a report without positions that a round trip cannot change. */
const verdict = (f: Finding[]) => f.map((x) => `${x.rule} ${x.severity} ${x.pointer} ${x.message}`);

describe('hardening: no-op round trips keep a passing slice passing', () => {
  it('through YAML (kubectl schema and js-yaml defaults) and JSON, for every release', () => {
    let passing = 0;
    fc.assert(
      fc.property(fc.oneof(realisticSlice, mutatedSlice), fc.constantFrom(...KUBE_VERSIONS), (object, kubeVersion) => {
        const first = evaluate(object, DEFAULT, { kubeVersion });
        fc.pre(first.allowed);
        passing++;
        const viaKubectlYaml = parseYamlDocuments(yaml.dump(object, { schema: KUBECTL_YAML_SCHEMA }))[0].value;
        const viaYaml = yaml.load(yaml.dump(object));
        const viaJson = JSON.parse(JSON.stringify(object));
        for (const copy of [viaKubectlYaml, viaYaml, viaJson]) {
          const again = evaluate(copy, DEFAULT, { kubeVersion });
          expect(again.allowed, yaml.dump(object)).to.equal(true);
          expect(verdict(again.findings)).to.deep.equal(verdict(first.findings));
        }
      }),
      runs(500, 9003),
    );
    expect(passing, 'passing slices generated').to.be.greaterThan(150);
  });
});

describe('hardening: fixes', () => {
  const fixPolicy = fc.constantFrom('default', 'everything');

  it('are idempotent, never add an API-server finding, and remove what they claim to repair', () => {
    let fixedSome = 0;
    fc.assert(
      fc.property(fc.oneof(realisticSlice, mutatedSlice), fixPolicy, context, (object, name, ctx) => {
        const p = POLICIES[name];
        const first = fixObject(freezeAll(object), p, ctx);
        expect(reportProblems(first.object, first.report).join('\n')).to.equal('');
        if (first.patch.length > 0) fixedSome++;
        const second = fixObject(first.object, p, ctx);
        expect(second.patch, 'a second fix pass').to.deep.equal([]);
        expect(second.object).to.deep.equal(first.object);
        const before = evaluate(object, p, ctx).findings;
        const key = (f: Finding) => `${f.rule} ${f.pointer} ${f.messageId}`;
        // A place the API server already refused may be refused for another reason after a fix
        // (`::0:0:0` becomes the unspecified `::`); a fix must not make a place refused that was not.
        const place = (f: Finding) => `${f.rule} ${f.pointer}`;
        const had = new Set(before.filter((f) => f.category === 'apiserver').map(place));
        const added = first.report.findings.filter((f) => f.category === 'apiserver' && !had.has(place(f)));
        expect(added.map(place).join('\n'), 'API-server findings the fix introduced').to.equal('');
        const after = new Set(first.report.findings.map(key));
        const stillThere = before.filter((f) => f.fix && after.has(key(f)));
        expect(stillThere.map(key).join('\n'), 'findings whose fix did not repair them').to.equal('');
      }),
      runs(600, 9004),
    );
    expect(fixedSome, 'objects that a fix changed').to.be.greaterThan(50);
  });
});
