import { defineRule, type RuleContext } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { isZeroTime, parseGoTime } from '../go-time.ts';
import { isRecord } from '../slice.ts';

type Report = RuleContext<unknown, 'immutable'>['report'];
type Meta = Record<string, unknown>;

/** A string field as Go holds it: "" when absent or null, undefined when wrong-typed. */
function str(meta: Meta, key: string): string | undefined {
  const v = meta[key];
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : undefined;
}

/** An optional (pointer) field: null when absent or null, else the value. */
function opt(meta: Meta, key: string): unknown {
  return meta[key] === undefined ? null : meta[key];
}

/** `apiequality.Semantic` on `*metav1.Time`: both unset, or the same instant. */
function sameTime(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a !== 'string' || typeof b !== 'string') return true; // the decode gate's
  const ta = parseGoTime(a);
  const tb = parseGoTime(b);
  return !ta || !tb || (ta.seconds === tb.seconds && ta.fraction === tb.fraction);
}

function show(v: unknown): string {
  if (v === null || v === '') return 'unset';
  return typeof v === 'number' ? String(v) : quote(v);
}

function changed(report: Report, field: string, from: unknown, to: unknown): void {
  report({ messageId: 'immutable', path: pointer('metadata', field), data: { field, from: show(from), to: show(to) } });
}

export default defineRule<Record<string, never>, 'immutable'>({
  meta: {
    id: 'metadata-immutable',
    category: 'apiserver',
    description: 'On update, metadata name, namespace, uid, creationTimestamp, deletionTimestamp and deletionGracePeriodSeconds cannot change.',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: { immutable: 'Field metadata.{{field}} cannot change on update: it was {{from}} and is now {{to}}.' },
  },
  check(object, { report, operation, oldObject, namespace }) {
    if (operation !== 'UPDATE' || !isRecord(oldObject)) return;
    const meta: Meta = isRecord(object.metadata) ? object.metadata : {};
    const old: Meta = isRecord(oldObject.metadata) ? oldObject.metadata : {};
    // U-3, after the registry's BeforeUpdate has filled in what an update may leave out.
    const name = str(meta, 'name');
    const oldName = str(old, 'name');
    if (name !== undefined && oldName !== undefined && name !== oldName) changed(report, 'name', oldName, name);
    // Both objects take the request's namespace when they carry none (0.5).
    const oldNs = str(old, 'namespace') || namespace;
    if (oldNs !== undefined && namespace !== undefined && oldNs !== namespace) changed(report, 'namespace', oldNs, namespace);
    // An update without a uid keeps the stored one.
    const uid = str(meta, 'uid');
    const oldUid = str(old, 'uid');
    if (uid && oldUid !== undefined && uid !== oldUid) changed(report, 'uid', oldUid, uid);
    // A stored creationTimestamp always wins; only an unset (zero) one can differ.
    const created = opt(meta, 'creationTimestamp');
    const oldCreated = opt(old, 'creationTimestamp');
    if (isZeroTime(oldCreated) && typeof created === 'string' && !isZeroTime(created)) changed(report, 'creationTimestamp', oldCreated, created);
    // A set deletionTimestamp cannot be changed or removed (the stored one wins); an unset one stays unset.
    const deleted = opt(meta, 'deletionTimestamp');
    const oldDeleted = opt(old, 'deletionTimestamp');
    if (isZeroTime(oldDeleted) && !sameTime(deleted, oldDeleted)) changed(report, 'deletionTimestamp', oldDeleted, deleted);
    // A grace period, once set, survives an update that leaves it out; it cannot be set or changed.
    const grace = opt(meta, 'deletionGracePeriodSeconds');
    if (typeof grace === 'number' && grace !== opt(old, 'deletionGracePeriodSeconds')) changed(report, 'deletionGracePeriodSeconds', opt(old, 'deletionGracePeriodSeconds'), grace);
  },
});
