import { expect } from 'chai';
import { all, at, FULLNAME, hooks, NAMESPACE, render } from './render.ts';
import type { K8sObject } from './k8s-schema.ts';
import { SCENARIOS } from './scenarios.ts';

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };

const VALIDATING = `${FULLNAME}-validating`;
const MUTATING = `${FULLNAME}-mutating`;

/**
 * Every permission the chart may grant, as "kind group/resource verb" and the resource names it
 * must be limited to (null: cannot be limited; `create` carries no name, list/watch read sets).
 */
function allowed(secret: string): Map<string, string[] | null> {
  const entries: [string, string[] | null][] = [
    ['ClusterRole /services get', null],
    ['ClusterRole /services list', null],
    ['ClusterRole /services watch', null],
    ['Role /secrets create', null],
    ...['get', 'update', 'patch', 'delete'].map((v): [string, string[]] => [`Role /secrets ${v}`, [secret]]),
    ...['get', 'update', 'patch', 'delete'].flatMap((v): [string, string[]][] => [
      [`ClusterRole admissionregistration.k8s.io/validatingwebhookconfigurations ${v}`, [VALIDATING]],
      [`ClusterRole admissionregistration.k8s.io/mutatingwebhookconfigurations ${v}`, [MUTATING]],
    ]),
  ];
  return new Map(entries);
}

function grants(role: K8sObject): { key: string; names: string[] | undefined }[] {
  return (role.rules as Rule[]).flatMap((rule) =>
    rule.apiGroups.flatMap((group) =>
      rule.resources.flatMap((resource) => rule.verbs.map((verb) => ({ key: `${role.kind} ${group}/${resource} ${verb}`, names: rule.resourceNames }))),
    ),
  );
}

/** The hook events and weight of an object; a release object has no events. */
function hookOf(object: K8sObject): { events: string[]; weight: number } {
  const weight = Number((object.metadata.annotations as Record<string, string> | undefined)?.['helm.sh/hook-weight'] ?? 0);
  return { events: hooks(object), weight };
}

describe('chart: RBAC is least privilege', () => {
  for (const [name, values] of Object.entries(SCENARIOS)) {
    it(`${name}: no wildcards, only the allowed verbs, limited by name wherever RBAC can`, () => {
      const objects = render(values);
      const secret = name === 'provided' ? 'corp-tls' : `${FULLNAME}-tls`;
      const permitted = allowed(secret);
      for (const role of [...all(objects, 'Role'), ...all(objects, 'ClusterRole')]) {
        for (const { key, names } of grants(role)) {
          const where = `${role.kind}/${role.metadata.name}: ${key}`;
          expect(key, where).to.not.contain('*');
          expect(permitted.has(key), `${where} is not an allowed permission`).to.equal(true);
          const limit = permitted.get(key);
          if (limit === null) expect(names, `${where} needs no resourceNames`).to.equal(undefined);
          else expect(names, where).to.deep.equal(limit);
        }
      }
    });

    it(`${name}: every workload's ServiceAccount and its roles exist when the workload runs`, () => {
      const objects = render(values);
      const workloads = [...all(objects, 'Job'), ...all(objects, 'CronJob'), ...all(objects, 'Deployment')];
      for (const workload of workloads) {
        const spec = (workload.kind === 'CronJob' ? at(workload, 'spec.jobTemplate.spec.template.spec') : at(workload, 'spec.template.spec')) as {
          serviceAccountName: string;
        };
        const sa = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === spec.serviceAccountName);
        expect(sa, `${workload.kind}/${workload.metadata.name} runs as a ServiceAccount the chart creates`).to.not.equal(undefined);
        const bindings = objects.filter(
          (o) => o.kind.endsWith('RoleBinding') && (o.subjects as { name: string; namespace: string }[]).some((s) => s.name === spec.serviceAccountName && s.namespace === NAMESPACE),
        );
        const roles = bindings.map((b) => {
          const ref = b.roleRef as { kind: string; name: string };
          const role = objects.find((o) => o.kind === ref.kind && o.metadata.name === ref.name);
          expect(role, `${b.kind}/${b.metadata.name} refers to ${ref.kind}/${ref.name}`).to.not.equal(undefined);
          return role as K8sObject;
        });
        const job = hookOf(workload);
        // A pre-install or pre-delete hook runs before (or without) the release objects: what it
        // needs must be hooks of the same events with a lower weight.
        const early = job.events.filter((e) => e === 'pre-install' || e === 'pre-upgrade' || e === 'pre-delete');
        for (const needed of [sa as K8sObject, ...bindings, ...roles]) {
          const hook = hookOf(needed);
          if (early.length > 0) {
            expect(hook.events, `${needed.kind}/${needed.metadata.name} for ${workload.metadata.name}`).to.include.members(early);
            expect(hook.weight).to.be.lessThan(job.weight);
          } else {
            expect(hook.events, `${needed.kind}/${needed.metadata.name} is a release object`).to.deep.equal([]);
          }
        }
      }
    });
  }

  it('every hook is cleaned up: before-hook-creation, and after success', () => {
    for (const values of Object.values(SCENARIOS)) {
      for (const object of render(values).filter((o) => hooks(o).length > 0)) {
        const policy = (object.metadata.annotations as Record<string, string>)['helm.sh/hook-delete-policy'];
        expect(policy, `${object.kind}/${object.metadata.name}`).to.equal('before-hook-creation,hook-succeeded');
      }
    }
  });

  it('the webhook\'s own identity reads Services only when the cache is on, and has no token otherwise', () => {
    const on = render();
    expect(all(on, 'ClusterRole').find((r) => r.metadata.name === `${FULLNAME}-services`)?.rules).to.deep.equal([
      { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
    ]);
    const off = render({ serviceCache: { enabled: false } });
    expect(all(off, 'ClusterRole').map((r) => r.metadata.name)).to.not.include(`${FULLNAME}-services`);
    expect(all(off, 'ClusterRoleBinding').map((r) => r.metadata.name)).to.not.include(`${FULLNAME}-services`);
    expect(at(all(off, 'Deployment')[0], 'spec.template.spec.automountServiceAccountToken')).to.equal(false);
  });
});
