import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { qualifiedNameProblems } from '../names.ts';
import { isRecord } from '../slice.ts';

type MessageId = 'invalid' | 'notQualified' | 'conflict' | 'addedWhileDeleting';

/** Finalizer names allowed without a domain prefix (core `IsStandardFinalizerName`). */
const STANDARD = ['kubernetes', 'orphan', 'foregroundDeletion'];

/** Returns the finalizers as strings (null is ""), skipping wrong-typed items (the decode gate's). */
function finalizersOf(meta: Record<string, unknown> | undefined): [string, number][] {
  const list = meta?.finalizers;
  if (!Array.isArray(list)) return [];
  const out: [string, number][] = [];
  list.forEach((f: unknown, i) => {
    if (f === null || typeof f === 'string') out.push([f ?? '', i]);
  });
  return out;
}

export default defineRule<Record<string, never>, MessageId>({
  meta: {
    id: 'metadata-finalizers',
    category: 'apiserver',
    description: 'Finalizers must be qualified names with a domain prefix (or kubernetes, orphan, foregroundDeletion), and none may be added during deletion.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      invalid: 'Finalizer {{name}} is not a valid qualified name: {{problems}}.',
      notQualified: 'Finalizer {{name}} has no domain prefix and is not kubernetes, orphan or foregroundDeletion; use a name like example.com/cleanup.',
      conflict: 'Finalizers orphan and foregroundDeletion cannot both be set.',
      addedWhileDeleting: 'Finalizers {{added}} were added while the slice is being deleted; no finalizer may be added then.',
    },
  },
  check(object, { report, operation, oldObject }) {
    const meta = isRecord(object.metadata) ? object.metadata : undefined;
    const finalizers = finalizersOf(meta);
    const listPath = pointer('metadata', 'finalizers');
    for (const [name, i] of finalizers) {
      // C-M6: apimachinery reports at the list's path, the core check at the item's.
      const problems = qualifiedNameProblems(name);
      if (problems.length > 0) report({ messageId: 'invalid', path: listPath, data: { name: quote(name), problems: problems.join('; ') } });
      if (!name.includes('/') && !STANDARD.includes(name)) report({ messageId: 'notQualified', path: pointer('metadata', 'finalizers', i), data: { name: quote(name) } });
    }
    const names = new Set(finalizers.map(([n]) => n));
    if (names.has('orphan') && names.has('foregroundDeletion')) report({ messageId: 'conflict', path: listPath });

    // U-3: once the stored object has a deletionTimestamp, an update may only remove finalizers.
    if (operation !== 'UPDATE' || !isRecord(oldObject)) return;
    const oldMeta = isRecord(oldObject.metadata) ? oldObject.metadata : undefined;
    if (oldMeta?.deletionTimestamp === undefined || oldMeta.deletionTimestamp === null) return;
    const old = new Set(finalizersOf(oldMeta).map(([n]) => n));
    const added = [...names].filter((n) => !old.has(n)).sort();
    if (added.length > 0) report({ messageId: 'addedWhileDeleting', path: listPath, data: { added: added.map((n) => quote(n)).join(', ') } });
  },
});
