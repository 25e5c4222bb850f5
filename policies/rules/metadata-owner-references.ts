import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { asItem, isRecord } from '../slice.ts';

type MessageId = 'required' | 'invalidApiVersion' | 'bannedOwner' | 'twoControllers';

const REQUIRED = ['apiVersion', 'kind', 'name', 'uid'] as const;

/** apimachinery `schema.ParseGroupVersion`: "" and "/" are empty, more than one "/" is an error. */
function parseGroupVersion(s: string): { group: string; version: string } | undefined {
  if (s === '' || s === '/') return { group: '', version: '' };
  const parts = s.split('/');
  if (parts.length === 1) return { group: '', version: s };
  return parts.length === 2 ? { group: parts[0], version: parts[1] } : undefined;
}

export default defineRule<Record<string, never>, MessageId>({
  meta: {
    id: 'metadata-owner-references',
    category: 'apiserver',
    description: 'Owner references need apiVersion, kind, name and uid; at most one may be the controller; a v1 Event cannot be an owner.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      required: 'Owner reference {{index}} has no {{field}}; apiVersion, kind, name and uid are all required.',
      invalidApiVersion: 'Owner reference {{index}} has apiVersion {{value}}; it must be <group>/<version> or <version>.',
      bannedOwner: 'Owner reference {{index}} names a v1 Event; Events cannot own other objects.',
      twoControllers: 'Owner references {{first}} and {{second}} both set controller: true; only one may be the controller.',
    },
  },
  check(object, { report, atLeast }) {
    const meta = isRecord(object.metadata) ? object.metadata : undefined;
    const refs = meta?.ownerReferences;
    if (!Array.isArray(refs)) return;
    // C-M7: through 1.36 apimachinery reported these at the un-indexed list path; 1.37 indexes them.
    const indexed = atLeast('1.37');
    const listPath = 'metadata.ownerReferences';
    let firstController: number | undefined;
    refs.forEach((raw: unknown, index) => {
      const ref = asItem(raw);
      if (!ref) return;
      for (const field of REQUIRED) {
        const v = ref[field];
        // Wrong-typed values are the decode gate's; only absent, null and "" are missing.
        if (v === undefined || v === null || v === '') {
          report({ messageId: 'required', path: pointer('metadata', 'ownerReferences', index, field), ...(indexed ? {} : { apiPath: `${listPath}.${field}` }), data: { index, field } });
        }
      }
      const apiVersion = typeof ref.apiVersion === 'string' ? ref.apiVersion : undefined;
      const gv = apiVersion ? parseGroupVersion(apiVersion) : undefined;
      if (apiVersion && (!gv || gv.version === '')) {
        const path = pointer('metadata', 'ownerReferences', index, 'apiVersion');
        report({ messageId: 'invalidApiVersion', path, ...(indexed ? {} : { apiPath: `${listPath}.apiVersion` }), data: { index, value: quote(apiVersion) } });
      }
      if (gv && gv.group === '' && gv.version === 'v1' && ref.kind === 'Event') {
        report({ messageId: 'bannedOwner', path: pointer('metadata', 'ownerReferences', index), ...(indexed ? {} : { apiPath: listPath }), data: { index } });
      }
      if (ref.controller !== true) return;
      // The list-level error has no index in any release.
      if (firstController === undefined) firstController = index;
      else report({ messageId: 'twoControllers', path: pointer('metadata', 'ownerReferences', index), apiPath: listPath, data: { first: firstController, second: index } });
    });
  },
});
