import rule from '../../../policies/rules/metadata-finalizers.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const withFinalizers = (finalizers: unknown, extra: Record<string, unknown> = {}) => slice({ metadata: { finalizers, ...extra } });
const LIST = { messageId: 'invalid', path: '/metadata/finalizers', apiPath: 'metadata.finalizers' };
const item = (i: number) => ({ messageId: 'notQualified', path: `/metadata/finalizers/${i}`, apiPath: `metadata.finalizers[${i}]` });
const CONFLICT = { messageId: 'conflict', path: '/metadata/finalizers', apiPath: 'metadata.finalizers' };
const ADDED = { messageId: 'addedWhileDeleting', path: '/metadata/finalizers', apiPath: 'metadata.finalizers' };
// upstream TestValidateFinalizersUpdate deletes with &metav1.Time{}: a set pointer, even to Go's zero time
const deleting = (finalizers: string[], deletionTimestamp: unknown = '2024-05-01T10:00:00Z') => withFinalizers(finalizers, { deletionTimestamp });
const update = (from: unknown, to: unknown) => ({ object: to, context: { operation: 'UPDATE' as const, oldObject: from } });

ruleTester.run(rule, {
  valid: [
    slice({}),
    withFinalizers(null),
    withFinalizers([]),
    // the standard names need no prefix
    withFinalizers(['kubernetes']),
    withFinalizers(['orphan']),
    withFinalizers(['foregroundDeletion']),
    withFinalizers(['example.com/cleanup', 'kubernetes', 'example.com/Clean_Up.v1']),
    { object: withFinalizers([`example.com/${'a'.repeat(63)}`]), name: 'name part of 63 bytes' },
    // wrong-typed items are the decode gate's
    withFinalizers([7]),
    // upstream TestValidateFinalizersUpdate: removing is fine while deleting; adding is fine otherwise
    { ...update(deleting(['x/a', 'y/b'], '0001-01-01T00:00:00Z'), deleting(['x/a'], '0001-01-01T00:00:00Z')), name: 'valid removing finalizers' },
    { ...update(withFinalizers(['x/a']), withFinalizers(['x/a', 'y/b'])), name: 'valid adding finalizers for objects not being deleted' },
    { ...update(withFinalizers(['x/a'], { deletionTimestamp: null }), withFinalizers(['x/a', 'y/b'])), name: 'a null deletionTimestamp is not deleting' },
    { ...update(deleting(['x/a', 'y/b']), deleting(['y/b', 'x/a'])), name: 'reordering adds nothing' },
    // on create the stored object does not matter
    { object: withFinalizers(['x/b']), context: { operation: 'CREATE', oldObject: deleting(['x/a']) } },
  ],
  invalid: [
    // core validateKubeFinalizerName: no "/" and not a standard name (at the item's path)
    { object: withFinalizers(['x']), findings: [item(0)] },
    { object: withFinalizers(['kubernetes', 'Orphan']), findings: [item(1)], name: 'standard names are case-sensitive' },
    // apimachinery ValidateFinalizerName: not a qualified name (at the list's path)
    { object: withFinalizers(['a/b/c']), findings: [LIST], name: 'two slashes: only the qualified-name error' },
    { object: withFinalizers(['Example.com/x']), findings: [LIST] },
    { object: withFinalizers([`example.com/${'a'.repeat(64)}`]), findings: [LIST], name: 'name part of 64 bytes' },
    // both checks fire for an unprefixed name that is not even a qualified name
    { object: withFinalizers(['-bad']), findings: [LIST, item(0)] },
    { object: withFinalizers(['']), findings: [LIST, item(0)], name: 'empty' },
    { object: withFinalizers([null]), findings: [LIST, item(0)], name: 'null is ""' },
    // upstream TestValidateFinalizersPreventConflictingFinalizers
    { object: withFinalizers(['orphan', 'foregroundDeletion']), findings: [CONFLICT] },
    // upstream TestValidateFinalizersUpdate
    { ...update(deleting(['x/a'], '0001-01-01T00:00:00Z'), deleting(['x/a', 'y/b'], '0001-01-01T00:00:00Z')), findings: [{ ...ADDED, message: '"y/b"' }], name: 'invalid adding finalizers' },
    { ...update(deleting(['x/a']), deleting(['x/b'])), findings: [ADDED], name: 'invalid changing finalizers' },
    { ...update(deleting([]), withFinalizers(['x/a'])), findings: [ADDED], name: 'the stored deletionTimestamp counts, not the new one' },
    ...(['1.32', '1.37'] as const).map((kubeVersion) => ({ object: withFinalizers(['x']), context: { kubeVersion }, findings: [item(0)], name: `same on ${kubeVersion}` })),
  ],
});
