import { expect } from 'chai';
import { parsePolicyText } from '../../policies/policy-file.ts';
import { all, at, FULLNAME, hooks, one, render } from './render.ts';
import type { K8sObject } from './k8s-schema.ts';
import { SCENARIOS } from './scenarios.ts';

type Container = Record<string, unknown> & { args: string[]; ports: { name: string; containerPort: number }[] };
type PodSpec = Record<string, unknown> & { containers: Container[]; volumes: Record<string, unknown>[] };

function podSpec(objects: K8sObject[]): PodSpec {
  return at(one(objects, 'Deployment'), 'spec.template.spec') as PodSpec;
}

/** The value after `flag` in an argument list. */
function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
}

describe('chart: the webhook Deployment', () => {
  it('runs 2 replicas with soft anti-affinity across nodes and never drops one during a rollout', () => {
    const deployment = one(render(), 'Deployment');
    expect(at(deployment, 'spec.replicas')).to.equal(2);
    expect(at(deployment, 'spec.strategy.rollingUpdate')).to.deep.equal({ maxSurge: 1, maxUnavailable: 0 });
    const term = at(deployment, 'spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution.0.podAffinityTerm');
    expect(at(term, 'topologyKey')).to.equal('kubernetes.io/hostname');
    expect(at(term, 'labelSelector.matchLabels')).to.deep.equal(at(deployment, 'spec.selector.matchLabels'));
  });

  it('is hardened: non-root, read-only root, no escalation, no capabilities, RuntimeDefault seccomp', () => {
    const spec = podSpec(render());
    expect(spec.securityContext).to.deep.include({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).to.deep.equal({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(spec.hostNetwork).to.equal(undefined);
  });

  it('probes /readyz and /healthz over HTTPS on the webhook port, and sleeps before SIGTERM', () => {
    const [container] = podSpec(render()).containers;
    expect(container.readinessProbe).to.deep.equal({
      httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' },
      periodSeconds: 5,
      timeoutSeconds: 2,
      failureThreshold: 3,
    });
    expect(at(container, 'livenessProbe.httpGet')).to.deep.equal({ path: '/healthz', port: 'https', scheme: 'HTTPS' });
    expect(container.ports.find((p) => p.name === 'https')?.containerPort).to.equal(8443);
    expect(at(container, 'lifecycle.preStop.sleep.seconds')).to.equal(5);
    expect(container.resources).to.deep.equal({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } });
  });

  it('leaves the preStop sleep out before Kubernetes 1.30 (no sleep action there)', () => {
    const [container] = podSpec(render({}, ['--kube-version', '1.29.0'])).containers;
    expect(container).to.not.have.property('lifecycle');
  });

  it('runs sliceguard serve with the mounted certificate and policy files', () => {
    const spec = podSpec(render());
    const [container] = spec.containers;
    expect(container.args).to.deep.equal([
      'serve', '--cert', '/etc/sliceguard/tls/tls.crt', '--key', '/etc/sliceguard/tls/tls.key', '--port', '8443',
      '--policy', '/etc/sliceguard/policy/policy.yaml', '--metrics-port', '9090', '--on-error', 'deny', '--stale-services', 'skip', '--service-wait', '1500',
    ]);
    const mounts = container.volumeMounts as { name: string; mountPath: string; subPath?: string }[];
    // No subPath: the kubelet updates Secret and ConfigMap volumes only without one (reloads).
    expect(mounts.filter((m) => m.subPath)).to.deep.equal([]);
    const mountOf = (name: string) => mounts.find((m) => m.name === name)?.mountPath;
    expect(`${mountOf('tls')}/tls.crt`).to.equal(flag(container.args, '--cert'));
    expect(`${mountOf('policy')}/policy.yaml`).to.equal(flag(container.args, '--policy'));
    const policyVolume = spec.volumes.find((v) => v.name === 'policy');
    expect(at(policyVolume, 'configMap.name')).to.equal(`${FULLNAME}-policy`);
  });

  it('non-default: Ignore answers allow on errors, no cache and no token, digest, placement', () => {
    const objects = render(SCENARIOS['non-default']);
    const spec = podSpec(objects);
    const [container] = spec.containers;
    expect(flag(container.args, '--on-error')).to.equal('allow');
    expect(flag(container.args, '--port')).to.equal('10250');
    expect(container.args).to.include('--no-service-cache');
    expect(container.args.slice(-2)).to.deep.equal(['--services', '/etc/extra/services.yaml']);
    expect(spec.automountServiceAccountToken).to.equal(false);
    expect(one(objects, 'ServiceAccount', FULLNAME).automountServiceAccountToken).to.equal(false);
    expect(container.image).to.equal(`ghcr.io/sliceguard/sliceguard@sha256:${'ab'.repeat(32)}`);
    expect(spec.imagePullSecrets).to.deep.equal([{ name: 'regcred' }]);
    expect(spec.priorityClassName).to.equal('system-cluster-critical');
    expect(at(spec, 'affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.0.topologyKey')).to.equal('kubernetes.io/hostname');
    expect(spec.tolerations).to.have.length(1);
    expect(spec.topologySpreadConstraints).to.have.length(1);
    expect(spec.securityContext).to.not.have.property('sysctls');
    expect(container.env).to.deep.equal([{ name: 'NODE_OPTIONS', value: '--max-old-space-size=384' }]);
  });

  it('hostNetwork: node network, ClusterFirstWithHostNet, one pod at a time', () => {
    const objects = render(SCENARIOS.hostNetwork);
    const spec = podSpec(objects);
    expect(spec.hostNetwork).to.equal(true);
    expect(spec.dnsPolicy).to.equal('ClusterFirstWithHostNet');
    expect(at(one(objects, 'Deployment'), 'spec.strategy.rollingUpdate')).to.deep.equal({ maxSurge: 0, maxUnavailable: 1 });
    expect(spec.containers[0].ports.map((p) => p.containerPort)).to.deep.equal([9443, 9444]);
  });

  it('port 443: the namespaced sysctl lets the non-root process bind it', () => {
    const spec = podSpec(render(SCENARIOS['port 443']));
    expect(at(spec, 'securityContext.sysctls')).to.deep.equal([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '443' }]);
    expect(flag(spec.containers[0].args, '--port')).to.equal('443');
  });

  it('the Service and the PodDisruptionBudget select exactly the webhook pods', () => {
    const objects = render();
    const podLabels = at(one(objects, 'Deployment'), 'spec.template.metadata.labels') as Record<string, string>;
    const service = one(objects, 'Service');
    const pdb = one(objects, 'PodDisruptionBudget');
    for (const selector of [at(service, 'spec.selector'), at(pdb, 'spec.selector.matchLabels')] as Record<string, string>[]) {
      expect(selector).to.include({ 'app.kubernetes.io/component': 'webhook' });
      for (const [k, v] of Object.entries(selector)) expect(podLabels[k], k).to.equal(v);
    }
    expect(at(pdb, 'spec.maxUnavailable')).to.equal(1);
    expect(at(pdb, 'spec.unhealthyPodEvictionPolicy')).to.equal('AlwaysAllow');
    const ports = podSpec(objects).containers[0].ports.map((p) => p.name);
    for (const port of at(service, 'spec.ports') as { targetPort: string; port: number; name: string }[]) {
      expect(ports, port.name).to.include(port.targetPort);
    }
    const webhook = (one(objects, 'ValidatingWebhookConfiguration').webhooks as object[])[0];
    expect(at(webhook, 'clientConfig.service.name')).to.equal(service.metadata.name);
    expect(at(service, 'spec.ports.0.port')).to.equal(at(webhook, 'clientConfig.service.port'));
  });

  it('ServiceMonitor (opt-in): scrapes the Service\'s metrics port', () => {
    expect(all(render(), 'ServiceMonitor')).to.deep.equal([]);
    const objects = render(SCENARIOS['non-default']);
    const monitor = one(objects, 'ServiceMonitor');
    const service = one(objects, 'Service');
    expect(at(monitor, 'metadata.labels.release')).to.equal('prometheus');
    for (const [k, v] of Object.entries(at(monitor, 'spec.selector.matchLabels') as Record<string, string>)) {
      expect((service.metadata.labels as Record<string, string>)[k], k).to.equal(v);
    }
    expect(at(monitor, 'spec.endpoints.0')).to.deep.include({ port: 'metrics', path: '/metrics', scheme: 'http' });
    expect((at(service, 'spec.ports') as { name: string }[]).map((p) => p.name)).to.include('metrics');
  });
});

describe('chart: the policy ConfigMap', () => {
  const policyText = (objects: K8sObject[]) => (one(objects, 'ConfigMap', `${FULLNAME}-policy`).data as Record<string, string>)['policy.yaml'];

  it('defaults: an empty policy that sliceguard\'s own parser accepts', () => {
    const policy = parsePolicyText(policyText(render()), 'policy.yaml');
    expect(policy.strict).to.equal(false);
    expect(policy.rules.map((r) => r.rule.meta.id)).to.not.include('explicit-conditions');
  });

  it('non-default: severities, options, exemptions and strict reach the policy', () => {
    const policy = parsePolicyText(policyText(render(SCENARIOS['non-default'])), 'policy.yaml');
    expect(policy.strict).to.equal(true);
    const ids = policy.rules.map((r) => r.rule.meta.id);
    expect(ids).to.include('explicit-conditions');
    expect(ids).to.not.include('fqdn-deprecated');
    expect(policy.rules.find((r) => r.rule.meta.id === 'max-endpoints')?.options).to.deep.equal({ max: 100 });
    expect(policy.exemptions).to.deep.equal([{ namespaces: ['dev'] }]);
  });

  it('restarts pods on a policy change only when rolloutOnChange is on', () => {
    const annotations = (values: object) => at(one(render(values), 'Deployment'), 'spec.template.metadata.annotations') as Record<string, string> | undefined;
    expect(annotations({})).to.equal(undefined);
    const a = annotations({ policy: { rolloutOnChange: true } })?.['checksum/policy'];
    const b = annotations({ policy: { rolloutOnChange: true, rules: { 'fqdn-deprecated': 'off' } } })?.['checksum/policy'];
    expect(a).to.match(/^[0-9a-f]{64}$/);
    expect(b).to.match(/^[0-9a-f]{64}$/);
    expect(a).to.not.equal(b);
  });

  it('is a release object, not a hook (helm upgrade updates it in place)', () => {
    expect(hooks(one(render(), 'ConfigMap', `${FULLNAME}-policy`))).to.deep.equal([]);
  });
});
