import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { all, at, CHART, FULLNAME, hooks, NAMESPACE, one, render } from './render.ts';
import type { K8sObject } from './k8s-schema.ts';
import { PROVIDED_CA_PEM, SCENARIOS } from './scenarios.ts';

const VALIDATING = `${FULLNAME}-validating`;
const MUTATING = `${FULLNAME}-mutating`;
const SERVICE_DNS = `${FULLNAME}.${NAMESPACE}.svc`;

type Pod = { serviceAccountName?: string; containers: { args?: string[]; env?: { name: string; value: string }[] }[]; volumes?: Record<string, unknown>[] };

function tlsSecretOfDeployment(objects: K8sObject[]): unknown {
  const volumes = at(one(objects, 'Deployment'), 'spec.template.spec.volumes') as Record<string, unknown>[];
  const tls = volumes.find((v) => v.name === 'tls');
  expect(at(tls, 'secret.items')).to.deep.equal([{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }]);
  expect(at(tls, 'secret.defaultMode')).to.equal(0o440);
  return at(tls, 'secret.secretName');
}

function jobPod(object: K8sObject): Pod {
  return (object.kind === 'CronJob' ? at(object, 'spec.jobTemplate.spec.template.spec') : at(object, 'spec.template.spec')) as Pod;
}

describe('chart: certificate wiring', () => {
  describe('self-signed (default)', () => {
    const objects = () => render();
    const secret = `${FULLNAME}-tls`;
    const base = ['certs', 'ensure', '--secret', secret, '--namespace', NAMESPACE, '--service', FULLNAME];

    it('mounts the Secret that certs ensure writes', () => {
      expect(tlsSecretOfDeployment(objects())).to.equal(secret);
    });

    it('pre-install/pre-upgrade Job creates the Secret before the pods need it, patching nothing that does not exist yet', () => {
      const job = one(objects(), 'Job', `${FULLNAME}-certs-pre`);
      expect(hooks(job)).to.deep.equal(['pre-install', 'pre-upgrade']);
      // helm template has no cluster: lookup finds no webhook configuration, so none is named.
      expect(jobPod(job).containers[0].args).to.deep.equal(base);
      expect(jobPod(job).serviceAccountName).to.equal(`${FULLNAME}-certs-hook`);
    });

    it('post-install/post-upgrade Job and the renewal CronJob patch caBundle of both webhook configurations', () => {
      const list = objects();
      const post = one(list, 'Job', `${FULLNAME}-certs-post`);
      const cron = one(list, 'CronJob', `${FULLNAME}-certs`);
      expect(hooks(post)).to.deep.equal(['post-install', 'post-upgrade']);
      expect(hooks(cron)).to.deep.equal([]);
      expect(at(cron, 'spec.concurrencyPolicy')).to.equal('Forbid');
      for (const job of [post, cron]) {
        expect(jobPod(job).containers[0].args).to.deep.equal([...base, '--webhook-config', `validating/${VALIDATING}`, '--webhook-config', `mutating/${MUTATING}`]);
        expect(jobPod(job).serviceAccountName).to.equal(`${FULLNAME}-certs`);
      }
    });

    it('with mutating off, names only the validating configuration', () => {
      const post = one(render({ webhook: { mutating: { enabled: false } } }), 'Job', `${FULLNAME}-certs-post`);
      expect(jobPod(post).containers[0].args).to.deep.equal([...base, '--webhook-config', `validating/${VALIDATING}`]);
    });

    it('a renamed Secret reaches the volume, the jobs and the RBAC alike', () => {
      const list = render({ certs: { secretName: 'webhook-tls' } });
      expect(tlsSecretOfDeployment(list)).to.equal('webhook-tls');
      for (const job of all(list, 'Job').filter((j) => j.metadata.name.includes('certs'))) {
        expect(jobPod(job).containers[0].args?.[3]).to.equal('webhook-tls');
      }
      for (const role of all(list, 'Role').filter((r) => r.metadata.name.includes('certs'))) {
        expect(at(role, 'rules.1.resourceNames')).to.deep.equal(['webhook-tls']);
      }
    });

    it('helm test trusts the ca.crt of that Secret and nothing else of it', () => {
      const pod = one(objects(), 'Pod');
      const ca = (pod.spec as Pod).volumes?.find((v) => v.name === 'ca');
      expect(at(ca, 'secret')).to.deep.equal({ secretName: secret, items: [{ key: 'ca.crt', path: 'ca.crt' }] });
    });
  });

  describe('cert-manager', () => {
    it('a CA chain: self-signed Issuer -> CA Certificate -> CA Issuer -> serving Certificate in the mounted Secret', () => {
      const list = render(SCENARIOS['cert-manager']);
      const serving = one(list, 'Certificate', `${FULLNAME}-tls`);
      const ca = one(list, 'Certificate', `${FULLNAME}-ca`);
      const caIssuer = one(list, 'Issuer', `${FULLNAME}-ca`);
      const selfSigned = one(list, 'Issuer', `${FULLNAME}-selfsigned`);
      expect(at(serving, 'spec.secretName')).to.equal(tlsSecretOfDeployment(list));
      expect(at(serving, 'spec.issuerRef')).to.deep.equal({ group: 'cert-manager.io', kind: 'Issuer', name: caIssuer.metadata.name });
      expect(at(caIssuer, 'spec.ca.secretName')).to.equal(at(ca, 'spec.secretName'));
      expect(at(ca, 'spec.isCA')).to.equal(true);
      expect(at(ca, 'spec.issuerRef.name')).to.equal(selfSigned.metadata.name);
      expect(at(selfSigned, 'spec')).to.deep.equal({ selfSigned: {} });
      expect(at(serving, 'spec.dnsNames')).to.deep.equal([FULLNAME, `${FULLNAME}.${NAMESPACE}`, SERVICE_DNS, `${SERVICE_DNS}.cluster.local`]);
      expect(at(serving, 'spec.usages')).to.include('server auth');
    });

    it('an existing issuer: only the serving Certificate, issued by it', () => {
      const list = render(SCENARIOS['cert-manager with an issuer']);
      expect(all(list, 'Issuer')).to.deep.equal([]);
      expect(all(list, 'Certificate')).to.have.length(1);
      expect(at(one(list, 'Certificate'), 'spec.issuerRef')).to.deep.equal({ name: 'corp-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    });

    it('runs no certificate Jobs and grants no Secret access', () => {
      const list = render(SCENARIOS['cert-manager']);
      expect(all(list, 'CronJob')).to.deep.equal([]);
      expect(all(list, 'Job').map((j) => j.metadata.name)).to.deep.equal([`${FULLNAME}-uninstall`]);
      expect(all(list, 'Role')).to.deep.equal([]);
    });

    it('helm test calls the name the Certificate is valid for', () => {
      const list = render(SCENARIOS['cert-manager']);
      const env = (one(list, 'Pod').spec as Pod).containers[0].env ?? [];
      const url = new URL(env.find((e) => e.name === 'SLICEGUARD_URL')?.value ?? '');
      expect(at(one(list, 'Certificate', `${FULLNAME}-tls`), 'spec.dnsNames')).to.include(url.hostname);
      expect(url.port).to.equal('');
      expect(url.pathname).to.equal('/validate');
    });
  });

  describe('provided', () => {
    it('mounts the given Secret, runs no certificate machinery, and helm test trusts caBundle', () => {
      const list = render(SCENARIOS.provided);
      expect(tlsSecretOfDeployment(list)).to.equal('corp-tls');
      expect(all(list, 'Certificate')).to.deep.equal([]);
      expect(all(list, 'CronJob')).to.deep.equal([]);
      expect(all(list, 'Job').map((j) => j.metadata.name)).to.deep.equal([`${FULLNAME}-uninstall`]);
      const config = one(list, 'ConfigMap', `${FULLNAME}-test`).data as Record<string, string>;
      expect(config['ca.crt']).to.equal(PROVIDED_CA_PEM);
      const env = (one(list, 'Pod').spec as Pod).containers[0].env ?? [];
      expect(env.find((e) => e.name === 'SLICEGUARD_CA_FILE')?.value).to.equal('/etc/sliceguard-test/ca.crt');
      // The clean-up never deletes a Secret that it did not create.
      expect(jobPod(one(list, 'Job')).containers[0].args?.some((a) => a.startsWith('secret/'))).to.equal(false);
    });
  });
});

describe('chart: uninstall and helm test', () => {
  it('a pre-delete Job deletes both webhook configurations (and the self-signed Secret) first', () => {
    const list = render();
    const job = one(list, 'Job', `${FULLNAME}-uninstall`);
    expect(hooks(job)).to.deep.equal(['pre-delete']);
    expect(jobPod(job).containers[0].args).to.deep.equal([
      'delete', '--namespace', NAMESPACE, '--ignore-not-found', '--wait=false', '--cache-dir=/tmp/kube-cache',
      `validatingwebhookconfiguration/${VALIDATING}`, `mutatingwebhookconfiguration/${MUTATING}`, `secret/${FULLNAME}-tls`,
    ]);
    const role = one(list, 'ClusterRole', `${FULLNAME}-uninstall`);
    expect(role.rules).to.deep.equal([
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], resourceNames: [VALIDATING], verbs: ['get', 'delete'] },
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], resourceNames: [MUTATING], verbs: ['get', 'delete'] },
    ]);
  });

  it('switched off: nothing runs at pre-delete', () => {
    expect(render(SCENARIOS['non-default']).filter((o) => hooks(o).includes('pre-delete'))).to.deep.equal([]);
  });

  it('the helm test pod runs the chart\'s script with the sliceguard image, without a token', () => {
    const list = render();
    const pod = one(list, 'Pod');
    expect(hooks(pod)).to.deep.equal(['test']);
    expect(at(pod, 'spec.automountServiceAccountToken')).to.equal(false);
    expect(at(pod, 'spec.containers.0.command')).to.deep.equal(['node', '/etc/sliceguard-test/helm-test.mjs']);
    expect(at(pod, 'spec.containers.0.image')).to.equal(at(one(list, 'Deployment'), 'spec.template.spec.containers.0.image'));
    const script = (one(list, 'ConfigMap', `${FULLNAME}-test`).data as Record<string, string>)['helm-test.mjs'];
    expect(script).to.equal(readFileSync(join(CHART, 'files', 'helm-test.mjs'), 'utf8'));
    expect(render({ tests: { enabled: false } }).filter((o) => hooks(o).includes('test'))).to.deep.equal([]);
  });
});
