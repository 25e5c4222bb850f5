import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import type { PatchOperation } from '../types.ts';
import { isRecord } from '../slice.ts';
import { serviceOf } from '../slice-policy.ts';

export default defineRule<Record<string, never>, 'noOwner'>({
  meta: {
    id: 'owner-reference',
    category: 'policy',
    description: 'Opt-in fix: give a slice an ownerReference to its Service, so that deleting the Service deletes the slice.',
    defaultSeverity: 'warn',
    fixable: true,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: { noOwner: 'Slice has no ownerReference to Service {{service}}; it outlives the Service when that is deleted.' },
    optIn: true,
  },
  check(slice, ctx) {
    const meta = slice.metadata;
    if (!isRecord(meta)) return;
    const service = serviceOf(slice, ctx);
    if (!service) return;
    const refs = meta.ownerReferences;
    if (refs !== undefined && refs !== null && !Array.isArray(refs)) return; // a type error
    const list = Array.isArray(refs) ? refs : [];
    if (list.some((r) => isRecord(r) && r.kind === 'Service' && r.apiVersion === 'v1' && r.name === service.name)) return;
    // The fix needs the Service's uid, which only the cluster (or an exported manifest) knows.
    // Neither `controller` nor `blockOwnerDeletion` is set: the slice is not the controller's, and
    // blockOwnerDeletion needs delete rights on the Service (OwnerReferencesPermissionEnforcement).
    let fix: PatchOperation[] | undefined;
    if (service.uid) {
      const ref = { apiVersion: 'v1', kind: 'Service', name: service.name, uid: service.uid };
      fix = Array.isArray(refs)
        ? [{ op: 'add', path: pointer('metadata', 'ownerReferences', '-'), value: ref }]
        : [{ op: refs === undefined ? 'add' : 'replace', path: pointer('metadata', 'ownerReferences'), value: [ref] }];
    }
    ctx.report({ messageId: 'noOwner', path: pointer('metadata'), data: { service: service.name }, fix });
  },
});
