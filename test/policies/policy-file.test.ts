import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parsePolicyText } from '../../policies/policy-file.ts';
import { SliceguardError } from '../../policies/errors.ts';

const head = 'apiVersion: sliceguard.dev/v1alpha1\nkind: Policy\n';

/** Returns the message parsePolicyText throws for `text` (the test fails if it does not throw). */
function problem(text: string): string {
  try {
    parsePolicyText(text, 'policy.yaml');
  } catch (err) {
    expect(err).to.be.instanceOf(SliceguardError);
    expect((err as SliceguardError).code).to.equal('SG_POLICY_INVALID');
    return (err as Error).message;
  }
  throw new Error('no error');
}

describe('parsePolicyText: every kind of mistake names the file, the key and what is allowed', () => {
  const cases: [string, string, string][] = [
    ['YAML that does not parse', `${head}rules:\n  max-endpoints: [deny\n`, 'policy.yaml: line 5, column 1: not valid YAML: unexpected end of the stream within a flow collection.'],
    ['a duplicate key', `${head}rules: {}\nrules: {}\n`, 'policy.yaml: line 4, column 1: not valid YAML: duplicated mapping key.'],
    ['an empty file', '# nothing\n', 'policy.yaml: empty; expected a policy with apiVersion sliceguard.dev/v1alpha1 and kind Policy.'],
    ['two documents', `${head}---\n${head}`, 'policy.yaml: has 2 YAML documents; a policy file holds exactly one.'],
    ['a list', '- max-endpoints\n', 'policy.yaml: expected a map with apiVersion, kind and rules, got a list.'],
    ['an unknown top-level key', `${head}rule: {}\n`, 'policy.yaml: rule: unknown key (did you mean "rules"?); allowed keys: apiVersion, kind, rules, exemptions, strict.'],
    ['no apiVersion', 'kind: Policy\n', 'policy.yaml: apiVersion: missing is not supported; expected sliceguard.dev/v1alpha1.'],
    ['another apiVersion', 'apiVersion: sliceguard.dev/v1\nkind: Policy\n', 'policy.yaml: apiVersion: "sliceguard.dev/v1" is not supported; expected sliceguard.dev/v1alpha1.'],
    ['another kind', 'apiVersion: sliceguard.dev/v1alpha1\nkind: ClusterPolicy\n', 'policy.yaml: kind: "ClusterPolicy" is not supported; expected Policy.'],
    ['rules as a list', `${head}rules: [max-endpoints]\n`, 'policy.yaml: rules: expected a map from rule id to off, warn, deny or {severity, options, exemptions}.'],
    ['an unknown rule id', `${head}rules:\n  max-endpoint: warn\n`, 'policy.yaml: rules.max-endpoint: unknown rule id (did you mean "max-endpoints"?); known policy rules: address-family, app-protocol,'],
    ['a bad severity', `${head}rules:\n  fqdn-deprecated: error\n`, 'policy.yaml: rules.fqdn-deprecated: severity "error" is not one of off, warn, deny.'],
    ['a bad severity in a map', `${head}rules:\n  fqdn-deprecated: {severity: warning}\n`, 'policy.yaml: rules.fqdn-deprecated: severity "warning" is not one of off, warn, deny.'],
    ['a boolean severity', `${head}rules:\n  fqdn-deprecated: false\n`, 'policy.yaml: rules.fqdn-deprecated: expected off, warn, deny or {severity, options, exemptions}, got false.'],
    ['an unknown key in a rule', `${head}rules:\n  max-endpoints: {option: {max: 100}}\n`, 'policy.yaml: rules.max-endpoints: unknown key "option"; allowed keys: severity, options, exemptions.'],
    ['options that are not a map', `${head}rules:\n  max-endpoints: {options: 100}\n`, 'policy.yaml: rules.max-endpoints.options: expected a map of option names to values.'],
    ['an option out of range', `${head}rules:\n  max-endpoints: {options: {max: 5000}}\n`, 'policy.yaml: rules.max-endpoints.options.max: must be <= 1000.'],
    ['an option of the wrong type', `${head}rules:\n  max-endpoints: {options: {max: "100"}}\n`, 'policy.yaml: rules.max-endpoints.options.max: must be integer.'],
    ['an unknown option', `${head}rules:\n  max-endpoints: {options: {limit: 100}}\n`, 'policy.yaml: rules.max-endpoints.options: must NOT have additional properties (limit).'],
    ['a bad CIDR', `${head}rules:\n  special-ip: {options: {serviceCIDRs: [10.96.0.0/12, 10.0.0.0/33]}}\n`, 'policy.yaml: rules.special-ip.options.serviceCIDRs[1]: must match format "cidr", got "10.0.0.0/33".'],
    ['a CIDR with leading zeros', `${head}rules:\n  special-ip: {options: {podCIDRs: [010.244.0.0/16]}}\n`, 'policy.yaml: rules.special-ip.options.podCIDRs[0]: must match format "cidr", got "010.244.0.0/16".'],
    ['a controller\'s managed-by value', `${head}rules:\n  managed-by-missing: {options: {value: endpointslice-controller.k8s.io}}\n`, 'policy.yaml: rules.managed-by-missing.options.value: must not be endpointslice-controller.k8s.io or endpointslicemirroring-controller.k8s.io, got "endpointslice-controller.k8s.io".'],
    ['a managed-by value that is no label value', `${head}rules:\n  managed-by-missing: {options: {value: "platform team"}}\n`, 'policy.yaml: rules.managed-by-missing.options.value: must match pattern'],
    ['an API-server rule turned off', `${head}rules:\n  ip-address: off\n`, 'policy.yaml: rules.ip-address: API-server rules always deny (the write fails); they cannot be set to off.'],
    ['an API-server rule turned down', `${head}rules:\n  port-name: {severity: warn}\n`, 'policy.yaml: rules.port-name: API-server rules always deny (the write fails); they cannot be set to warn.'],
    ['an API-server rule exempted', `${head}rules:\n  port-name: {exemptions: [{namespaces: [dev]}]}\n`, 'policy.yaml: rules.port-name.exemptions: API-server rules cannot be exempted (the write fails whatever the policy says).'],
    ['exemptions as a map', `${head}exemptions: {namespaces: [dev]}\n`, 'policy.yaml: exemptions: expected a list of {namespaces, selector}.'],
    ['an unknown key in an exemption', `${head}exemptions:\n  - namespace: [dev]\n`, 'policy.yaml: exemptions[0]: unknown key "namespace"; allowed keys: namespaces, selector.'],
    ['an empty exemption', `${head}exemptions:\n  - {}\n`, 'policy.yaml: exemptions[0]: give namespaces, selector or both (an empty exemption would match nothing).'],
    ['namespaces as a string', `${head}exemptions:\n  - namespaces: dev\n`, 'policy.yaml: exemptions[0].namespaces: expected a non-empty list of namespace names.'],
    ['a bad selector operator', `${head}rules:\n  fqdn-deprecated:\n    exemptions:\n      - selector: {matchExpressions: [{key: a, operator: in, values: [x]}]}\n`, 'policy.yaml: rules.fqdn-deprecated.exemptions[0].selector.matchExpressions[0].operator: "in" is not one of In, NotIn, Exists, DoesNotExist.'],
    ['In without values', `${head}exemptions:\n  - selector: {matchExpressions: [{key: a, operator: In}]}\n`, 'policy.yaml: exemptions[0].selector.matchExpressions[0].values: operator In needs at least one value.'],
    ['Exists with values', `${head}exemptions:\n  - selector: {matchExpressions: [{key: a, operator: Exists, values: [x]}]}\n`, 'policy.yaml: exemptions[0].selector.matchExpressions[0].values: operator Exists takes no values.'],
    ['a non-string matchLabels value', `${head}exemptions:\n  - selector: {matchLabels: {tier: 3}}\n`, 'policy.yaml: exemptions[0].selector.matchLabels.tier: expected a string value, got 3.'],
    ['an unknown selector key', `${head}exemptions:\n  - selector: {labels: {a: b}}\n`, 'policy.yaml: exemptions[0].selector: unknown key "labels"; allowed keys: matchLabels, matchExpressions.'],
    ['strict that is not a boolean', `${head}strict: "yes"\n`, 'policy.yaml: strict: expected true or false.'],
  ];
  for (const [what, text, message] of cases) {
    it(`rejects ${what}`, () => {
      const got = problem(text);
      if (message.endsWith('.')) expect(got).to.equal(message);
      else expect(got.startsWith(message), got).to.equal(true);
      expect(got).not.to.contain('\n');
    });
  }
});

describe('parsePolicyText: valid files', () => {
  const ids = (text: string, strict?: boolean) => parsePolicyText(head + text, 'p.yaml', { strict }).rules.map((a) => `${a.rule.meta.id}:${a.severity}`);

  it('gives the defaults for a header alone: policy rules on, opt-in rules off', () => {
    const got = ids('');
    expect(got).to.include.members(['service-name-label:deny', 'managed-by-missing:warn', 'canonical-ip:warn', 'ip-address:deny']);
    expect(got.filter((r) => /^(fqdn-lowercase|explicit-conditions|owner-reference):/.test(r))).to.deep.equal([]);
  });

  it('turns rules off, changes severities and switches opt-in rules on by naming them', () => {
    const got = ids('rules:\n  fqdn-deprecated: off\n  multi-address-endpoint: deny\n  explicit-conditions: {}\n  owner-reference: warn\n  ip-address: deny\n');
    expect(got).not.to.include('fqdn-deprecated:warn');
    expect(got).to.include.members(['multi-address-endpoint:deny', 'explicit-conditions:warn', 'owner-reference:warn', 'ip-address:deny']);
  });

  it('merges options with the defaults', () => {
    const policy = parsePolicyText(`${head}rules:\n  special-ip:\n    options: {podCIDRs: [10.244.0.0/16, "fd00:10:244::/56"]}\n`, 'p.yaml');
    expect(policy.rules.find((a) => a.rule.meta.id === 'special-ip')?.options).to.deep.equal({
      serviceCIDRs: [], podCIDRs: ['10.244.0.0/16', 'fd00:10:244::/56'], blockedCIDRs: [], controllerUsers: [],
    });
  });

  it('takes strict from the file or from --strict, and --strict cannot turn it off', () => {
    expect(parsePolicyText(`${head}strict: true\n`, 'p.yaml').strict).to.equal(true);
    expect(parsePolicyText(head, 'p.yaml', { strict: true }).strict).to.equal(true);
    expect(parsePolicyText(`${head}strict: true\n`, 'p.yaml', { strict: false }).strict).to.equal(true);
    expect(parsePolicyText(head, 'p.yaml').strict).to.equal(false);
  });

  it('parses the complete example in docs/policy.md', () => {
    const doc = readFileSync(new URL('../../docs/policy.md', import.meta.url), 'utf8');
    const example = /```yaml\n(apiVersion: sliceguard\.dev[\s\S]*?)```/.exec(doc)?.[1];
    expect(example, 'docs/policy.md has a complete example').to.be.a('string');
    const policy = parsePolicyText(example as string, 'docs/policy.md');
    expect(policy.exemptions.length).to.be.greaterThan(0);
  });
});
