import { expect } from 'chai';
import { all, at, FULLNAME, NAMESPACE, one, render } from './render.ts';
import type { K8sObject } from './k8s-schema.ts';
import { PROVIDED_CA_PEM, SCENARIOS } from './scenarios.ts';

const VALIDATING = `${FULLNAME}-validating`;
const MUTATING = `${FULLNAME}-mutating`;
const CONTROLLERS =
  "!(request.userInfo.username in ['system:serviceaccount:kube-system:endpointslice-controller', " +
  "'system:serviceaccount:kube-system:endpointslicemirroring-controller', 'system:kube-controller-manager'])";
const RULE = { apiGroups: ['discovery.k8s.io'], apiVersions: ['v1'], resources: ['endpointslices'], scope: 'Namespaced' };

function webhookOf(objects: K8sObject[], kind: string, name: string): Record<string, unknown> {
  const webhooks = one(objects, kind, name).webhooks as Record<string, unknown>[];
  expect(webhooks).to.have.length(1);
  return webhooks[0];
}

describe('chart: webhook configurations', () => {
  it('validating (defaults): the whole webhook, field by field', () => {
    const webhook = webhookOf(render(), 'ValidatingWebhookConfiguration', VALIDATING);
    expect(webhook).to.deep.equal({
      name: 'validate.sliceguard.dev',
      admissionReviewVersions: ['v1'],
      sideEffects: 'None',
      timeoutSeconds: 5,
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      clientConfig: { service: { name: FULLNAME, namespace: NAMESPACE, path: '/validate', port: 443 } },
      rules: [{ ...RULE, operations: ['CREATE', 'UPDATE'] }],
      namespaceSelector: {
        matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', NAMESPACE] }],
      },
      matchConditions: [{ name: 'exclude-control-plane-writers', expression: CONTROLLERS }],
    });
  });

  it('mutating (defaults): /mutate, CREATE and UPDATE only, never reinvoked, the same exclusions', () => {
    const objects = render();
    const mutating = webhookOf(objects, 'MutatingWebhookConfiguration', MUTATING);
    const validating = webhookOf(objects, 'ValidatingWebhookConfiguration', VALIDATING);
    expect(mutating.name).to.equal('mutate.sliceguard.dev');
    expect(at(mutating, 'clientConfig.service.path')).to.equal('/mutate');
    expect(mutating.rules).to.deep.equal([{ ...RULE, operations: ['CREATE', 'UPDATE'] }]);
    expect(mutating.reinvocationPolicy).to.equal('Never');
    for (const key of ['sideEffects', 'timeoutSeconds', 'failurePolicy', 'matchPolicy', 'namespaceSelector', 'matchConditions']) {
      expect(mutating[key], key).to.deep.equal(validating[key]);
    }
  });

  it('the CEL condition reads request.userInfo.username (set by authentication) and names exactly the controllers', () => {
    const [condition] = webhookOf(render(), 'ValidatingWebhookConfiguration', VALIDATING).matchConditions as { expression: string }[];
    const users = [...condition.expression.matchAll(/'([^']*)'/g)].map((m) => m[1]);
    expect(condition.expression.startsWith('!(request.userInfo.username in [')).to.equal(true);
    expect(users).to.deep.equal([
      'system:serviceaccount:kube-system:endpointslice-controller',
      'system:serviceaccount:kube-system:endpointslicemirroring-controller',
      'system:kube-controller-manager',
    ]);
  });

  it('non-default: mutating off, DELETE validated, Ignore, extra selectors and annotations', () => {
    const objects = render(SCENARIOS['non-default']);
    expect(all(objects, 'MutatingWebhookConfiguration')).to.deep.equal([]);
    const config = one(objects, 'ValidatingWebhookConfiguration', VALIDATING);
    expect(at(config, 'metadata.annotations')).to.deep.equal({ 'example.com/owner': 'platform' });
    const webhook = webhookOf(objects, 'ValidatingWebhookConfiguration', VALIDATING);
    expect(webhook.rules).to.deep.equal([{ ...RULE, operations: ['CREATE', 'UPDATE', 'DELETE'] }]);
    expect(webhook.failurePolicy).to.equal('Ignore');
    expect(webhook.namespaceSelector).to.deep.equal({
      matchExpressions: [
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'monitoring', NAMESPACE] },
        { key: 'example.com/tier', operator: 'NotIn', values: ['legacy'] },
      ],
    });
    expect(webhook.objectSelector).to.deep.equal({ matchLabels: { 'example.com/checked': 'true' } });
    expect(at(webhook, 'clientConfig.service.port')).to.equal(443);
  });

  it('always excludes the release namespace, even when excludedNamespaces is emptied', () => {
    const webhook = webhookOf(
      render({ webhook: { namespaceSelector: { excludedNamespaces: [] } } }),
      'ValidatingWebhookConfiguration',
      VALIDATING,
    );
    expect(at(webhook, 'namespaceSelector.matchExpressions')).to.deep.equal([
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [NAMESPACE] },
    ]);
  });

  it('matchConditions off: no matchConditions field at all (for API servers without them)', () => {
    const objects = render(SCENARIOS['matchConditions off']);
    for (const [kind, name] of [['ValidatingWebhookConfiguration', VALIDATING], ['MutatingWebhookConfiguration', MUTATING]]) {
      expect(webhookOf(objects, kind, name)).to.not.have.property('matchConditions');
    }
  });

  it('adds extra matchConditions after the controllers\' exclusion', () => {
    const extra = { name: 'only-labelled', expression: "has(object.metadata.labels) && 'team' in object.metadata.labels" };
    const webhook = webhookOf(render({ webhook: { matchConditions: { extra: [extra] } } }), 'ValidatingWebhookConfiguration', VALIDATING);
    expect(webhook.matchConditions).to.deep.equal([{ name: 'exclude-control-plane-writers', expression: CONTROLLERS }, extra]);
  });

  it('mutating failurePolicy can differ from the validating one', () => {
    const objects = render({ webhook: { mutating: { failurePolicy: 'Ignore' } } });
    expect(webhookOf(objects, 'MutatingWebhookConfiguration', MUTATING).failurePolicy).to.equal('Ignore');
    expect(webhookOf(objects, 'ValidatingWebhookConfiguration', VALIDATING).failurePolicy).to.equal('Fail');
  });

  describe('caBundle in each certificate mode', () => {
    it('self-signed: no caBundle in the template (certs ensure patches it; upgrades keep it)', () => {
      for (const config of [...all(render(), 'ValidatingWebhookConfiguration'), ...all(render(), 'MutatingWebhookConfiguration')]) {
        expect(at(config, 'metadata.annotations')).to.equal(undefined);
        expect(at((config.webhooks as object[])[0], 'clientConfig')).to.not.have.property('caBundle');
      }
    });

    it('cert-manager: inject-ca-from names the serving Certificate, no caBundle', () => {
      const objects = render(SCENARIOS['cert-manager']);
      const certificate = one(objects, 'Certificate', `${FULLNAME}-tls`);
      for (const [kind, name] of [['ValidatingWebhookConfiguration', VALIDATING], ['MutatingWebhookConfiguration', MUTATING]]) {
        const config = one(objects, kind, name);
        expect(at(config, 'metadata.annotations')).to.deep.equal({
          'cert-manager.io/inject-ca-from': `${certificate.metadata.namespace}/${certificate.metadata.name}`,
        });
        expect(at((config.webhooks as object[])[0], 'clientConfig')).to.not.have.property('caBundle');
      }
    });

    it('provided: caBundle is the given CA on both webhooks', () => {
      const objects = render(SCENARIOS.provided);
      for (const [kind, name] of [['ValidatingWebhookConfiguration', VALIDATING], ['MutatingWebhookConfiguration', MUTATING]]) {
        const caBundle = at((one(objects, kind, name).webhooks as object[])[0], 'clientConfig.caBundle') as string;
        expect(Buffer.from(caBundle, 'base64').toString()).to.equal(PROVIDED_CA_PEM);
      }
    });

    it('provided: a caBundle wrapped over lines (base64 without -w0) loses its whitespace', () => {
      const wrapped = Buffer.from(PROVIDED_CA_PEM).toString('base64').replace(/(.{20})/g, '$1\n');
      const objects = render({ certs: { mode: 'provided', provided: { secretName: 'corp-tls', caBundle: wrapped } } });
      const caBundle = at((one(objects, 'ValidatingWebhookConfiguration').webhooks as object[])[0], 'clientConfig.caBundle');
      expect(caBundle).to.equal(Buffer.from(PROVIDED_CA_PEM).toString('base64'));
      expect((one(objects, 'ConfigMap', `${FULLNAME}-test`).data as Record<string, string>)['ca.crt']).to.equal(PROVIDED_CA_PEM);
    });
  });
});
