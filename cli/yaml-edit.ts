/**
 * Applies JSON Patch operations to the text of one YAML document while keeping everything else
 * byte for byte: comments, quoting, key order, flow or block style. Each operation is a splice at
 * the source range that the `yaml` package's Document API reports. When an edit cannot be made in
 * place (aliases, unusual layouts), the document is re-serialised through the Document API, which
 * still keeps comments and key order. Either result is accepted only when it reads back as the
 * expected object. `yaml` is loaded only by `--fix`; validation uses js-yaml.
 */
import { isDeepStrictEqual } from 'node:util';
import yaml from 'js-yaml';
import { KUBECTL_YAML_SCHEMA } from './yaml-schema.ts';
import { Document, isMap, isScalar, isSeq, parseDocument, stringify, type Node, type Pair, type ToStringOptions, type YAMLMap, type YAMLSeq } from 'yaml';
import { parsePointer } from '../policies/pointer.ts';
import type { PatchOperation } from '../policies/types.ts';

type Collection = YAMLMap<unknown, unknown> | YAMLSeq<unknown>;

/**
 * Returns `text` with `ops` applied, or undefined when neither an in-place edit nor a Document API
 * rewrite reads back (with js-yaml, as validation reads it) as `expected`.
 */
export function editYaml(text: string, ops: readonly PatchOperation[], expected: unknown): string | undefined {
  const indentSeq = detectIndentSeq(text);
  for (const attempt of [() => ops.reduce((t, op) => editInPlace(t, op, indentSeq), text), () => rewrite(text, ops, indentSeq)]) {
    try {
      const out = attempt();
      if (isDeepStrictEqual(yaml.load(out, { schema: KUBECTL_YAML_SCHEMA }) ?? null, expected)) return out;
    } catch {
      // try the next way; the caller reports a document that no way could fix
    }
  }
  return undefined;
}

/** True unless the text writes block sequences at their key's own indentation (kubectl's style). */
function detectIndentSeq(text: string): boolean {
  const m = /^( *)[^\s#-][^\n]*:[ \t]*\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*( *)- /m.exec(text);
  return !m || m[2].length > m[1].length;
}

// kubectl reads YAML 1.1 (yes/on are booleans), so new text is written the 1.1 way: a string
// "yes" gets quotes. Existing text is never re-quoted by an in-place edit.
const VERSION = { version: '1.1' } as const;

function options(indentSeq: boolean): ToStringOptions & typeof VERSION {
  return { lineWidth: 0, flowCollectionPadding: false, indentSeq, ...VERSION };
}

function parse(text: string): Document.Parsed {
  const doc = parseDocument(text, { merge: true, ...VERSION });
  if (doc.errors.length > 0) throw doc.errors[0];
  return doc;
}

/** Returns the node at `segments` under `root`, refusing to walk through aliases. */
function walk(root: unknown, segments: string[]): unknown {
  let node = root;
  for (const seg of segments) {
    if (isMap(node)) node = findPair(node, seg)?.value;
    else if (isSeq(node)) node = node.items[Number(seg)];
    else throw new Error(`no collection at ${seg}`);
    if (node === undefined) throw new Error(`nothing at ${seg}`);
  }
  return node;
}

function findPair(map: YAMLMap<unknown, unknown>, key: string): Pair<unknown, unknown> | undefined {
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** Returns the offset just past the line that holds offset `end - 1` (a node's last character). */
function afterLine(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') return end;
  const eol = text.indexOf('\n', end);
  return eol === -1 ? text.length : eol + 1;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function editInPlace(text: string, op: PatchOperation, indentSeq: boolean): string {
  if (op.op !== 'add' && op.op !== 'replace' && op.op !== 'remove') throw new Error(`no in-place ${op.op}`);
  const doc = parse(text);
  const segments = parsePointer(op.path);
  const key = segments.pop() as string;
  const parent = walk(doc.contents, segments);
  if (isMap(parent)) {
    const pair = findPair(parent, key);
    if (op.op === 'remove') return removePair(text, parent, pair);
    if (pair) return replaceNode(text, pair.value, op.value);
    return addPair(text, parent, key, op.value, indentSeq);
  }
  if (isSeq(parent) && op.op === 'replace') return replaceNode(text, parent.items[Number(key)], op.value);
  if (isSeq(parent) && op.op === 'add' && (key === '-' || Number(key) === parent.items.length)) return appendItem(text, parent, op.value, indentSeq);
  throw new Error(`no in-place ${op.op} at ${op.path}`);
}

/** Replaces a scalar in its own quoting style, or a null with a flow collection. */
function replaceNode(text: string, node: unknown, value: unknown): string {
  if (!isScalar(node) || !node.range) throw new Error('not a scalar');
  const [start, end] = node.range;
  if (value !== null && typeof value === 'object') {
    if (node.value !== null) throw new Error('scalar to collection');
    const flow = new Document(value, VERSION);
    (flow.contents as Collection).flow = true;
    const rendered = flow.toString(options(true)).trimEnd();
    return splice(text, start, end, (text[start - 1] === ':' ? ' ' : '') + rendered);
  }
  return splice(text, start, end, renderScalar(value, node.type));
}

function renderScalar(value: unknown, type: string | undefined): string {
  if (typeof value !== 'string') return String(value);
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (type !== 'PLAIN') throw new Error(`no in-place edit of a ${type} scalar`);
  const plain = stringify(value, { lineWidth: 0, ...VERSION }).trimEnd();
  if (plain.includes('\n')) throw new Error('multi-line scalar');
  return plain;
}

function removePair(text: string, map: Collection, pair: Pair<unknown, unknown> | undefined): string {
  if (!pair || map.flow || !isScalar(pair.key) || !pair.key.range) throw new Error('no block pair to remove');
  const keyStart = pair.key.range[0];
  const start = lineStart(text, keyStart);
  // Only whole lines: a key right after `- ` starts its item and cannot go alone.
  if (text.slice(start, keyStart).trim() !== '') throw new Error('key is not alone on its line');
  const valueEnd = (pair.value as Node | null)?.range?.[1] ?? pair.key.range[1];
  return splice(text, start, afterLine(text, valueEnd), '');
}

function addPair(text: string, map: YAMLMap<unknown, unknown>, key: string, value: unknown, indentSeq: boolean): string {
  if (map.flow) {
    // range[1] is just past the closing brace (an enclosing flow map may close right after it).
    const close = text.lastIndexOf('}', (map.range as [number, number, number])[1] - 1);
    const entry = `${stringify(key, VERSION).trimEnd()}: ${flowText(value)}`;
    return splice(text, close, close, map.items.length > 0 ? `, ${entry}` : entry);
  }
  const first = map.items[0];
  const last = map.items[map.items.length - 1];
  if (!first || !isScalar(first.key) || !first.key.range || !isScalar(last.key) || !last.key.range) throw new Error('no block map to add to');
  const indent = first.key.range[0] - lineStart(text, first.key.range[0]);
  const end = (last.value as Node | null)?.range?.[1] ?? last.key.range[1];
  return insertLines(text, afterLine(text, end), stringify({ [key]: value }, options(indentSeq)), indent);
}

function appendItem(text: string, seq: YAMLSeq<unknown>, value: unknown, indentSeq: boolean): string {
  const range = seq.range as [number, number, number];
  if (seq.flow) {
    const close = text.lastIndexOf(']', range[1] - 1);
    return splice(text, close, close, seq.items.length > 0 ? `, ${flowText(value)}` : flowText(value));
  }
  const m = /^( *)- /.exec(text.slice(lineStart(text, range[0])));
  const last = seq.items[seq.items.length - 1] as Node | undefined;
  if (!m || !last?.range) throw new Error('no block sequence to append to');
  return insertLines(text, afterLine(text, last.range[1]), stringify([value], options(indentSeq)), m[1].length);
}

function insertLines(text: string, at: number, block: string, indent: number): string {
  const pad = ' '.repeat(indent);
  const lines = block.trimEnd().split('\n').map((l) => (l === '' ? l : pad + l)).join('\n');
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const before = at > 0 && text[at - 1] !== '\n' ? newline : '';
  return splice(text, at, at, before + lines.replace(/\n/g, newline) + newline);
}

function flowText(value: unknown): string {
  if (value === null || typeof value !== 'object') return stringify(value, VERSION).trimEnd();
  const doc = new Document(value, VERSION);
  (doc.contents as Collection).flow = true;
  return doc.toString(options(true)).trimEnd();
}

/** Applies the operations through the Document API and re-serialises the whole document. */
function rewrite(text: string, ops: readonly PatchOperation[], indentSeq: boolean): string {
  const doc = parse(text);
  for (const op of ops) {
    if (op.op !== 'add' && op.op !== 'replace' && op.op !== 'remove') throw new Error(`no ${op.op}`);
    const segments = parsePointer(op.path);
    const key = segments.pop() as string;
    const parent = walk(doc.contents, segments);
    const node = op.op === 'remove' ? undefined : doc.createNode(op.value);
    if (isMap(parent)) {
      const pair = findPair(parent, key);
      if (op.op === 'remove') parent.items.splice(parent.items.indexOf(pair as Pair<unknown, unknown>), 1);
      else if (pair && isScalar(pair.value) && isPrimitive(op.value)) pair.value.value = op.value; // keeps its quoting
      else if (pair) pair.value = node;
      else parent.items.push(doc.createPair(key, op.value) as Pair<unknown, unknown>);
    } else if (isSeq(parent)) {
      const i = key === '-' ? parent.items.length : Number(key);
      const item = parent.items[i];
      if (op.op === 'remove') parent.items.splice(i, 1);
      else if (op.op === 'replace' && isScalar(item) && isPrimitive(op.value)) item.value = op.value;
      else parent.items.splice(i, op.op === 'replace' ? 1 : 0, node);
    } else throw new Error(`no collection at ${op.path}`);
  }
  return doc.toString(options(indentSeq));
}

function isPrimitive(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}
