import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { RULES } from '../../policies/rules/index.ts';
import { CHART, template } from './render.ts';

const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as Record<string, unknown>;

describe('chart: values.schema.json', () => {
  const rejected: [string, object, RegExp][] = [
    ['a misspelt top-level key', { replicas: 3 }, /additional properties 'replicas' not allowed/],
    ['a misspelt nested key', { webhook: { failurPolicy: 'Ignore' } }, /additional properties 'failurPolicy' not allowed/],
    ['an unknown failurePolicy', { webhook: { failurePolicy: 'Deny' } }, /failurePolicy/],
    ['a timeout over 30 s', { webhook: { timeoutSeconds: 31 } }, /timeoutSeconds/],
    ['port 0', { webhook: { port: 0 } }, /port/],
    ['an unknown certificate mode', { certs: { mode: 'vault' } }, /mode/],
    ['provided without caBundle', { certs: { mode: 'provided', provided: { secretName: 'tls' } } }, /caBundle/],
    ['an issuerRef without a name', { certs: { mode: 'cert-manager', certManager: { issuerRef: { kind: 'ClusterIssuer' } } } }, /name/],
    ['an unknown policy rule id', { policy: { rules: { 'max-endpointz': 'warn' } } }, /max-endpointz/],
    ['an unknown severity', { policy: { rules: { 'max-endpoints': 'error' } } }, /max-endpoints/],
    ['an unknown key in a rule setting', { policy: { rules: { 'max-endpoints': { option: {} } } } }, /max-endpoints/],
    ['an excluded user that would break the CEL string', { webhook: { matchConditions: { excludedUsers: ["it's"] } } }, /excludedUsers/],
    ['a namespace that is no DNS label', { webhook: { namespaceSelector: { excludedNamespaces: ['Kube_System'] } } }, /excludedNamespaces/],
    ['a PDB maxUnavailable that is neither a number nor a percentage', { podDisruptionBudget: { maxUnavailable: 'half' } }, /maxUnavailable/],
    ['an unknown podAntiAffinity', { podAntiAffinity: 'always' }, /podAntiAffinity/],
    ['a digest that is no sha256', { image: { digest: 'latest' } }, /digest/],
  ];
  for (const [name, values, message] of rejected) {
    it(`rejects ${name} at install time`, () => {
      const result = template(values);
      expect(result.status, result.stdout).to.not.equal(0);
      expect(result.stderr).to.contain("values don't meet the specifications of the schema");
      expect(result.stderr).to.match(message);
    });
  }

  it('accepts a percentage for maxUnavailable and a parent chart\'s global values', () => {
    expect(template({ podDisruptionBudget: { maxUnavailable: '50%' }, global: { imageRegistry: 'x' } }).status).to.equal(0);
  });

  it('lists exactly the policy rule ids of the registry', () => {
    const rules = (schema.properties as Record<string, { properties: Record<string, { propertyNames: { enum: string[] } }> }>)
      .policy.properties.rules.propertyNames.enum;
    const registry = RULES.filter((r) => r.meta.category === 'policy').map((r) => r.meta.id).sort();
    expect(rules, 'update policy.rules.propertyNames in charts/sliceguard/values.schema.json').to.deep.equal(registry);
  });

  it('describes every key of values.yaml, and values.yaml comments every key', () => {
    const text = readFileSync(join(CHART, 'values.yaml'), 'utf8');
    const missing: string[] = [];
    const walk = (value: unknown, node: Record<string, unknown> | undefined, path: string): void => {
      if (!node) return void missing.push(path);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
      const props = node.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [key, child] of Object.entries(value)) if (props) walk(child, props[key], `${path}.${key}`);
    };
    walk(yaml.load(text), schema, 'values');
    expect(missing, 'values not in values.schema.json').to.deep.equal([]);
    expect(uncommentedKeys(text), 'values.yaml keys without a comment above').to.deep.equal([]);
  });
});

// Kubernetes objects passed through as they are: their head is commented, their fields are the API's.
const PASS_THROUGH = new Set(['resources', 'jobResources', 'podSecurityContext', 'securityContext', 'nodeSelector']);

/** Returns the dotted paths of keys in values.yaml with no comment line right above them. */
function uncommentedKeys(text: string): string[] {
  const lines = text.split('\n');
  const stack: { indent: number; key: string }[] = [];
  const found: string[] = [];
  lines.forEach((line, i) => {
    const match = /^(\s*)([A-Za-z][\w-]*):/.exec(line);
    if (!match) return;
    const indent = match[1].length;
    while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
    const passThrough = stack.some((s) => PASS_THROUGH.has(s.key));
    stack.push({ indent, key: match[2] });
    if (!passThrough && !lines[i - 1]?.trim().startsWith('#')) found.push(stack.map((s) => s.key).join('.'));
  });
  return found;
}

describe('docs/chart.md', () => {
  it('documents every value of values.yaml', () => {
    const docs = readFileSync(join(CHART, '..', '..', 'docs', 'chart.md'), 'utf8');
    const values = yaml.load(readFileSync(join(CHART, 'values.yaml'), 'utf8'));
    const missing: string[] = [];
    const walk = (value: unknown, path: string): void => {
      const leaf = value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0;
      if (leaf || PASS_THROUGH.has(path.split('.').pop() ?? '')) {
        // A value is documented by its own path, or by its group as `group.*`.
        const parts = path.split('.');
        const groups = parts.slice(1).map((_, i) => `\`${parts.slice(0, i + 1).join('.')}.*\``);
        if (!docs.includes(`\`${path}\``) && !groups.some((g) => docs.includes(g))) missing.push(path);
        return;
      }
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) walk(child, path ? `${path}.${key}` : key);
    };
    walk(values, '');
    expect(missing).to.deep.equal([]);
  });
});
