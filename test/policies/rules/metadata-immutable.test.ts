import rule from '../../../policies/rules/metadata-immutable.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const STORED = { name: 'es1', namespace: 'test', uid: 'u-1', resourceVersion: '7', creationTimestamp: '2024-05-01T10:00:00Z' };
const meta = (m: Record<string, unknown>) => slice({ metadata: m });
const stored = (extra: Record<string, unknown> = {}) => meta({ ...STORED, ...extra });
/** An UPDATE from `old` metadata to `now` metadata. */
const update = (old: Record<string, unknown>, now: Record<string, unknown>, namespace?: string) => ({
  object: meta(now),
  context: { operation: 'UPDATE' as const, oldObject: meta(old), ...(namespace ? { namespace } : {}) },
});
const at = (field: string) => ({ messageId: 'immutable', path: `/metadata/${field}`, apiPath: `metadata.${field}` });
const NOW = '1970-01-01T00:16:40Z';
const LATER = '1970-01-01T00:33:20Z';

ruleTester.run(rule, {
  valid: [
    // not an update: nothing to compare
    stored(),
    { object: stored({ name: 'other' }), context: { operation: 'CREATE', oldObject: stored() } },
    { object: stored({ name: 'other' }), context: { operation: 'UPDATE' } },
    // upstream "valid and identical slices" / "valid without deletion fields"
    { ...update(STORED, STORED), name: 'identical' },
    // labels, annotations and the rest may change
    { ...update(STORED, { ...STORED, labels: { a: 'b' }, annotations: { x: 'y' }, resourceVersion: '8', generation: 9 }), name: 'other fields change' },
    // BeforeUpdate keeps the stored uid when the update has none
    { ...update(STORED, { ...STORED, uid: undefined }), name: 'uid left out' },
    { ...update(STORED, { ...STORED, uid: '' }), name: 'uid empty' },
    // BeforeUpdate keeps a stored creationTimestamp (unlike the bare ValidateObjectMetaUpdate in
    // upstream TestValidateObjectMetaUpdateIgnoresCreationTimestamp, which counts an error)
    { ...update(STORED, { ...STORED, creationTimestamp: undefined }), name: 'creationTimestamp left out' },
    { ...update(STORED, { ...STORED, creationTimestamp: '2030-01-01T00:00:00Z' }), name: 'creationTimestamp changed' },
    { ...update({ ...STORED, creationTimestamp: null }, { ...STORED, creationTimestamp: '0001-01-01T00:00:00Z' }), name: "Go's zero time is unset" },
    // upstream "valid with deletion fields"
    { ...update({ ...STORED, deletionTimestamp: NOW, deletionGracePeriodSeconds: 30 }, { ...STORED, deletionTimestamp: NOW, deletionGracePeriodSeconds: 30 }), name: 'deleting, unchanged' },
    // a set deletionTimestamp is restored by BeforeUpdate, so clearing or changing it is no error
    { ...update({ ...STORED, deletionTimestamp: NOW }, STORED), name: 'deletionTimestamp left out' },
    { ...update({ ...STORED, deletionTimestamp: NOW }, { ...STORED, deletionTimestamp: LATER }), name: 'deletionTimestamp changed' },
    { ...update({ ...STORED, deletionTimestamp: null }, { ...STORED, deletionTimestamp: null }), name: 'both null' },
    // a set grace period survives an update that leaves it out
    { ...update({ ...STORED, deletionGracePeriodSeconds: 30 }, STORED), name: 'grace period left out' },
    { ...update({ ...STORED, deletionGracePeriodSeconds: 30 }, { ...STORED, deletionGracePeriodSeconds: null }), name: 'grace period null' },
    // both take the request's namespace when they carry none
    { ...update({ ...STORED, namespace: undefined }, { ...STORED, namespace: undefined }, 'test'), name: 'namespace from the request' },
    { ...update({ ...STORED, namespace: undefined }, STORED, 'test'), name: 'old namespace from the request' },
    // wrong types are the decode gate's
    { ...update(STORED, { ...STORED, name: 7, uid: 7, deletionGracePeriodSeconds: '30' }), name: 'wrong types' },
  ],
  invalid: [
    { ...update(STORED, { ...STORED, name: 'es2' }), findings: [at('name')] },
    { ...update(STORED, { ...STORED, name: undefined }), findings: [at('name')], name: 'name left out' },
    { ...update(STORED, { ...STORED, namespace: 'other' }), findings: [at('namespace')] },
    { ...update(STORED, { ...STORED, uid: 'u-2' }), findings: [at('uid')] },
    // upstream TestValidateObjectMetaUpdatePreventsDeletionFieldMutation "invalid set deletionTimestamp"
    { ...update(STORED, { ...STORED, deletionTimestamp: NOW }), findings: [at('deletionTimestamp')] },
    { ...update({ ...STORED, deletionTimestamp: null }, { ...STORED, deletionTimestamp: NOW }), findings: [at('deletionTimestamp')], name: 'from null' },
    // upstream "invalid set deletionGracePeriodSeconds" / "invalid change deletionGracePeriodSeconds"
    { ...update(STORED, { ...STORED, deletionGracePeriodSeconds: 30 }), findings: [at('deletionGracePeriodSeconds')] },
    { ...update({ ...STORED, deletionGracePeriodSeconds: 30 }, { ...STORED, deletionGracePeriodSeconds: 40 }), findings: [{ ...at('deletionGracePeriodSeconds'), message: 'it was 30 and is now 40' }] },
    { ...update({ ...STORED, deletionGracePeriodSeconds: 30 }, { ...STORED, deletionGracePeriodSeconds: 0 }), findings: [at('deletionGracePeriodSeconds')], name: 'to 0' },
    // only an unset stored creationTimestamp can be "changed"
    { ...update({ ...STORED, creationTimestamp: undefined }, STORED), findings: [at('creationTimestamp')] },
    { ...update({ ...STORED, creationTimestamp: '0001-01-01T00:00:00Z' }, STORED), findings: [at('creationTimestamp')], name: "stored Go's zero time" },
    {
      ...update(STORED, { ...STORED, name: 'x', namespace: 'y', uid: 'z', deletionTimestamp: NOW, deletionGracePeriodSeconds: 1 }),
      findings: [at('deletionGracePeriodSeconds'), at('deletionTimestamp'), at('name'), at('namespace'), at('uid')],
      name: 'all at once',
    },
    ...(['1.32', '1.37'] as const).map((kubeVersion) => ({ object: stored({ uid: 'u-2' }), context: { operation: 'UPDATE' as const, oldObject: stored(), kubeVersion }, findings: [at('uid')], name: `same on ${kubeVersion}` })),
  ],
});
