import rule from '../../../policies/rules/metadata-owner-references.ts';
import { ruleTester, type InvalidCase } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';
import type { KubeVersion } from '../../../policies/types.ts';

const owned = (...ownerReferences: unknown[]) => slice({ metadata: { ownerReferences } });
const ref = (over: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Service', name: 'web', uid: '0b7e3a52-3f1c-4a8e-9d1e-6a2c5f0e7b11', ...over });
const custom = (uid: string, controller?: boolean, kind = 'customresourceKind') =>
  ({ apiVersion: 'customresourceVersion', kind, name: 'name', uid, ...(controller === undefined ? {} : { controller }) });

/** The finding at field `field` of reference `i`: indexed from 1.37, un-indexed through 1.36. */
function at(messageId: string, i: number, field: string | undefined, kubeVersion: KubeVersion) {
  const indexed = kubeVersion === '1.37';
  const base = indexed ? `metadata.ownerReferences[${i}]` : 'metadata.ownerReferences';
  return { messageId, path: `/metadata/ownerReferences/${i}${field ? `/${field}` : ''}`, apiPath: field ? `${base}.${field}` : base };
}
const TWO = (i: number) => ({ messageId: 'twoControllers', path: `/metadata/ownerReferences/${i}`, apiPath: 'metadata.ownerReferences' });

/** The same invalid example on every release, with the release's paths. */
function perVersion(name: string, object: unknown, findings: (v: KubeVersion) => InvalidCase['findings']): InvalidCase[] {
  return (['1.32', '1.36', '1.37'] as const).map((kubeVersion) => ({ object, context: { kubeVersion }, findings: findings(kubeVersion), name: `${name} (${kubeVersion})` }));
}

ruleTester.run(rule, {
  valid: [
    slice({}),
    slice({ metadata: { ownerReferences: null } }),
    owned(),
    owned(ref({ controller: true, blockOwnerDeletion: true })),
    // upstream TestValidateObjectMetaOwnerReferences successes
    { object: owned(custom('1')), name: 'third party extension' },
    { object: owned(ref({ kind: 'Pod' })), name: 'apiVersion with no slashes (legacy core group)' },
    { object: owned(custom('1', false), custom('2', true), custom('3', false), custom('4')), name: 'one reference with Controller set' },
    // only the core v1 Event is banned; kinds are case-sensitive
    owned(ref({ apiVersion: 'events.k8s.io/v1', kind: 'Event' })),
    owned(ref({ kind: 'event' })),
    owned(ref({ controller: null }), ref({ controller: true })),
    // wrong-typed fields are the decode gate's
    owned(ref({ uid: 7 })),
    { object: owned(ref({ uid: 7 })), context: { kubeVersion: '1.36' } },
  ],
  invalid: [
    // upstream "event shouldn't be set as an owner"
    ...perVersion('banned owner', owned(ref({ kind: 'Event', name: 'name', uid: '1' })), (v) => [at('bannedOwner', 0, undefined, v)]),
    ...perVersion('banned owner with an explicit empty group', owned(ref({ apiVersion: '/v1', kind: 'Event' })), (v) => [at('bannedOwner', 0, undefined, v)]),
    // upstream "invalid apiVersion with too many slashes" / "with empty version"
    ...perVersion('a/b/c', owned(ref({ apiVersion: 'a/b/c', kind: 'Pod' })), (v) => [at('invalidApiVersion', 0, 'apiVersion', v)]),
    ...perVersion('foo/', owned(ref({ apiVersion: 'foo/', kind: 'Pod' })), (v) => [at('invalidApiVersion', 0, 'apiVersion', v)]),
    ...perVersion('a lone slash', owned(ref({ apiVersion: '/' })), (v) => [at('invalidApiVersion', 0, 'apiVersion', v)]),
    // the four required fields, absent, null or empty
    ...perVersion('all missing', owned({}), (v) => ['apiVersion', 'kind', 'name', 'uid'].map((f) => at('required', 0, f, v))),
    ...perVersion('a null item', owned(null), (v) => ['apiVersion', 'kind', 'name', 'uid'].map((f) => at('required', 0, f, v))),
    ...perVersion('uid empty in the second', owned(ref(), ref({ uid: '' })), (v) => [at('required', 1, 'uid', v)]),
    ...perVersion('name null', owned(ref({ name: null })), (v) => [at('required', 0, 'name', v)]),
    // upstream "two references with Controller set": reported at the list, for every later controller
    ...perVersion('two controllers', owned(custom('1', false, 'k1'), custom('2', true, 'k2'), custom('3', true, 'k3'), custom('4', undefined, 'k4')), () => [TWO(2)]),
    ...perVersion('three controllers', owned(ref({ controller: true }), ref({ controller: true }), ref({ controller: true })), () => [TWO(1), TWO(2)]),
  ],
});
