import type { PatchOperation } from './types.ts';
import { parsePointer } from './pointer.ts';

/**
 * Returns a copy of `document` with the RFC 6902 operations applied in order; `document` itself is
 * never changed. Throws an Error naming the operation when one cannot be applied.
 */
export function applyPatch<T>(document: T, ops: readonly PatchOperation[]): T {
  let doc: unknown = structuredClone(document);
  for (const op of ops) doc = applyOne(doc, op);
  return doc as T;
}

function applyOne(doc: unknown, op: PatchOperation): unknown {
  switch (op.op) {
    case 'add':
      return put(doc, op.path, structuredClone(op.value), 'add');
    case 'replace':
      get(doc, op.path, op);
      return put(doc, op.path, structuredClone(op.value), 'replace');
    case 'remove':
      get(doc, op.path, op);
      return remove(doc, op.path);
    case 'test':
      if (JSON.stringify(get(doc, op.path, op)) !== JSON.stringify(op.value)) throw new Error(`test failed at ${op.path}`);
      return doc;
    case 'copy':
      return put(doc, op.path, structuredClone(get(doc, op.from, op)), 'add');
    case 'move': {
      const value = get(doc, op.from, op);
      return put(remove(doc, op.from), op.path, value, 'add');
    }
  }
}

function get(doc: unknown, path: string, op: PatchOperation): unknown {
  let cur = doc;
  for (const seg of parsePointer(path)) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, seg)) {
      throw new Error(`${op.op} ${path}: no value at ${path}`);
    }
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function parentOf(doc: unknown, path: string): { parent: Record<string, unknown> | unknown[]; key: string } {
  const segs = parsePointer(path);
  const key = segs.pop() as string;
  let cur = doc;
  for (const seg of segs) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, seg)) throw new Error(`no parent for ${path}`);
    cur = (cur as Record<string, unknown>)[seg];
  }
  if (cur === null || typeof cur !== 'object') throw new Error(`no parent for ${path}`);
  return { parent: cur as Record<string, unknown>, key };
}

function put(doc: unknown, path: string, value: unknown, mode: 'add' | 'replace'): unknown {
  if (path === '') return value;
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new Error(`bad index in ${path}`);
    if (mode === 'add') parent.splice(i, 0, value);
    else parent[i] = value;
  } else {
    Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return doc;
}
