import { expect } from 'chai';
import { CHART, helmWithValues, KUBE_VERSION, render, template } from './render.ts';
import { schemaProblems, type K8sObject } from './k8s-schema.ts';
import { SCENARIOS } from './scenarios.ts';

describe('chart: helm lint and helm template', () => {
  for (const [name, values] of Object.entries(SCENARIOS)) {
    describe(name, () => {
      it('passes helm lint --strict', () => {
        const result = helmWithValues(['lint', CHART, '--strict', '--kube-version', KUBE_VERSION], values);
        expect(result.status, result.stdout + result.stderr).to.equal(0);
        expect(result.stdout).to.match(/1 chart\(s\) linted, 0 chart\(s\) failed/);
      });

      it('renders objects that are valid for the Kubernetes schema of their kinds', () => {
        const objects = render(values);
        expect(objects.length).to.be.greaterThan(8);
        expect(objects.flatMap(schemaProblems)).to.deep.equal([]);
      });

      it('gives every object a valid, unique name', () => {
        const objects = render(values);
        const keys = objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
        expect(new Set(keys).size, keys.join('\n')).to.equal(keys.length);
        for (const o of objects) {
          // A CronJob's name is at most 52 characters: its Jobs append 11.
          const max = o.kind === 'CronJob' ? 52 : 63;
          expect(o.metadata.name, o.kind).to.match(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
          expect(o.metadata.name.length, `${o.kind}/${o.metadata.name}`).to.be.at.most(max);
        }
      });
    });
  }

  it('keeps names valid for a 53-character release name', () => {
    const release = `r${'x'.repeat(52)}`;
    const result = helmWithValues(['template', release, CHART, '--namespace', 'ns', '--kube-version', KUBE_VERSION]);
    expect(result.status, result.stderr).to.equal(0);
    const names = [...result.stdout.matchAll(/^ {2}name: (\S+)$/gm)].map((m) => m[1]);
    expect(names.length).to.be.greaterThan(10);
    for (const name of names) expect(name.length, name).to.be.at.most(52);
  });

  it('the schema checks catch what they are for: an unknown field and a wrong type', () => {
    const deployment = render().find((o) => o.kind === 'Deployment') as K8sObject;
    const spec = (deployment.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec;
    spec.containers[0].readinesProbe = {};
    spec.containers[0].ports = [{ containerPort: 'https' }];
    const problems = schemaProblems(deployment);
    expect(problems.join('\n')).to.contain('unknown field /spec/template/spec/containers/0/readinesProbe');
    expect(problems.join('\n')).to.contain('containerPort must be integer');
  });

  it('refuses a Kubernetes release older than 1.28 (matchConditions)', () => {
    const result = helmWithValues(['template', 'sg', CHART, '--kube-version', '1.27.0']);
    expect(result.status).to.not.equal(0);
    expect(result.stderr).to.match(/kubeVersion|incompatible/i);
  });
});

describe('chart: template guards', () => {
  const cases: [string, object, RegExp][] = [
    ['hostNetwork on the kubelet port', { hostNetwork: true, webhook: { port: 10250 } }, /10250 is the kubelet's port/],
    ['hostNetwork below 1024', { hostNetwork: true, webhook: { port: 443 } }, /below 1024/],
    ['metrics on the webhook port', { webhook: { port: 9090 } }, /metrics\.port 9090 is the same as webhook\.port/],
  ];
  for (const [name, values, message] of cases) {
    it(`fails with a message: ${name}`, () => {
      const result = template(values);
      expect(result.status).to.not.equal(0);
      expect(result.stderr).to.match(message);
    });
  }
});
