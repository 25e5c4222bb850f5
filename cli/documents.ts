import yaml from 'js-yaml';
import { KUBECTL_YAML_SCHEMA } from './yaml-schema.ts';

/** One YAML document's source: its text and where it starts in the file. */
export interface Chunk {
  text: string;
  /** 0-based line of the chunk's first character in the file. */
  startLine: number;
}

/** One parsed document: the value, or the syntax error that stopped it. */
export interface ParsedDocument {
  index: number;
  chunk: Chunk;
  value: unknown;
  /** Set when the document does not parse; `line`/`column` are 1-based file positions. */
  syntaxError?: { message: string; line: number; column: number };
}

/**
 * Returns the documents of a YAML stream, split on `---` and `...` markers at column 0 (the YAML
 * spec forbids them inside scalars), counting documents exactly as js-yaml's `loadAll` does, empty
 * ones included. Splitting first lets each document be parsed, and located, on its own.
 *
 * The model follows js-yaml's loader: a first document exists when anything but leading spaces
 * and one final newline is there; blank, comment and directive lines before a `---` belong to the
 * document it starts; `...` always ends a document, and the next one begins at the next line that
 * is not blank or a comment.
 */
export function splitYamlStream(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  const withNewline = /[\n\r]$/.test(text) ? text : text + '\n';
  let lead = 0;
  while (withNewline.charCodeAt(lead) === 32) lead++;
  let open = lead < withNewline.length - 1;
  let start = 0;
  let startLine = 0;
  let explicit = false;
  let content = false;
  const close = (end: number): void => {
    chunks.push({ text: text.slice(start, end), startLine });
    open = false;
  };
  const begin = (pos: number, line: number): void => {
    open = true;
    start = pos;
    startLine = line;
    explicit = false;
    content = false;
  };
  let line = 0;
  const len = text.length;
  for (let pos = 0; pos < len; line++) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = len;
    const c = text.charCodeAt(pos);
    const marker = (c === 45 || c === 46) && isMarker(text, pos, c) ? c : 0;
    // Most lines are content inside an open document: nothing to decide for them.
    if (marker === 0 && open && content) {
      pos = eol + 1;
      continue;
    }
    const separation = marker === 0 && isBlankOrComment(text, pos, eol);
    if (!open && (!separation || c === 37)) begin(pos, line);
    if (open) {
      if (marker === 45) {
        if (explicit || content) {
          close(pos);
          begin(pos, line);
        }
        explicit = true;
        // `--- value` on the marker line is content of the new document.
        content = /\S/.test(text.slice(pos + 3, eol).replace(/(^|\s)#.*$/, ''));
      } else if (marker === 46) {
        close(pos);
      } else if (!separation) {
        content = true;
      }
    }
    pos = eol + 1;
  }
  if (open) close(text.length);
  return chunks;
}

/** True when the line at `pos` is a `---` or `...` marker (three of `c`, then a space or the end). */
function isMarker(text: string, pos: number, c: number): boolean {
  if (text.charCodeAt(pos + 1) !== c || text.charCodeAt(pos + 2) !== c) return false;
  const d = text.charCodeAt(pos + 3);
  return pos + 3 >= text.length || d === 32 || d === 9 || d === 10 || d === 13;
}

function isBlankOrComment(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13) continue;
    // `%` starts a directive line, which belongs to the document that follows it.
    return c === 35 || (c === 37 && i === from);
  }
  return true;
}

/** Returns the parsed documents of a YAML file; a document that fails to parse carries the error. */
export function parseYamlDocuments(text: string): ParsedDocument[] {
  return [...iterateYamlDocuments(text)];
}

/**
 * Yields the documents of a YAML file one at a time, parsing each only when it is reached, so a
 * large file never holds more than one parsed document.
 */
export function* iterateYamlDocuments(text: string): Generator<ParsedDocument> {
  const chunks = splitYamlStream(text);
  for (let index = 0; index < chunks.length; index++) yield parseChunk(chunks[index], index);
}

/** Returns one document parsed from its chunk (as `iterateYamlDocuments` yields it). */
export function parseChunk(chunk: Chunk, index: number): ParsedDocument {
  let value: unknown;
  try {
    // kubectl's YAML 1.1 reading (yes/on are booleans, timestamps stay strings): see yaml-schema.ts.
    value = yaml.load(chunk.text, { schema: KUBECTL_YAML_SCHEMA }) ?? null;
  } catch (err) {
    return { index, chunk, value: undefined, syntaxError: syntaxErrorOf(err, chunk) };
  }
  // Anchors and aliases share nodes; a "billion laughs" document is small but expands beyond reason.
  if (chunk.text.includes('*') && chunk.text.includes('&')) {
    const size = expandedSize(value, MAX_EXPANDED_NODES);
    if (size > MAX_EXPANDED_NODES) {
      const message = `Document expands to more than ${MAX_EXPANDED_NODES} nodes through YAML aliases; kubectl refuses such excessive aliasing`;
      return { index, chunk, value: undefined, syntaxError: { message, line: chunk.startLine + 1, column: 1 } };
    }
  }
  return { index, chunk, value };
}

/** The most nodes a document may expand to through aliases (a 1000-endpoint slice has ~20,000). */
export const MAX_EXPANDED_NODES = 1_000_000;

/**
 * Returns the number of nodes `value` has with every alias expanded, counting shared nodes once
 * per reference (memoised per object, so the count itself is linear); stops early above `cap`.
 */
export function expandedSize(value: unknown, cap: number): number {
  const memo = new Map<object, number>();
  const visit = (v: unknown): number => {
    if (v === null || typeof v !== 'object') return 1;
    const known = memo.get(v);
    if (known !== undefined) return known;
    memo.set(v, cap + 1); // a cycle (js-yaml can build one with a recursive alias) counts as too big
    let n = 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      n += visit(child);
      if (n > cap) break;
    }
    memo.set(v, n);
    return n;
  };
  return visit(value);
}

/** Returns the single document of a JSON file; `JSON.parse` is the fast path. */
export function parseJsonDocument(text: string): ParsedDocument {
  const chunk = { text, startLine: 0 };
  try {
    return { index: 0, chunk, value: JSON.parse(text) };
  } catch (err) {
    // JSON.parse gives no position; find the offending offset with a small scanner.
    const at = jsonErrorOffset(text);
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - (before.lastIndexOf('\n') + 1) + 1;
    const reason = err instanceof RangeError ? 'nested too deeply to read' : (err as Error).message.split('\n')[0].replace(/, ".*" is not valid JSON$/, '');
    return { index: 0, chunk, value: undefined, syntaxError: { message: `Invalid JSON: ${reason}`, line, column } };
  }
}

/** Returns the offset of the first character that makes `text` invalid JSON (RFC 8259). */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const lit = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const str = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  const num = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += (m as RegExpExecArray)[0].length;
  };
  const value = (depth: number): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail();
          str();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) return void i++;
        else fail();
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else num();
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail();
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, text.length);
    return 0; // too deep to scan: report the start of the file
  }
  return 0;
}

function syntaxErrorOf(err: unknown, chunk: Chunk): { message: string; line: number; column: number } {
  if (err instanceof RangeError) return { message: 'Document is nested too deeply to read', line: chunk.startLine + 1, column: 1 };
  const e = err as { reason?: string; message?: string; mark?: { line: number; column: number } };
  const mark = e.mark;
  let line = mark ? mark.line : 0;
  let column = mark ? mark.column : 0;
  // At the end of the stream js-yaml marks the line after the document (the next `---` or past
  // the end of the file); point at the document's last non-blank line instead.
  const lines = chunk.text.split('\n');
  let last = lines.length - 1;
  while (last > 0 && lines[last].trim() === '') last--;
  if (line > last) {
    line = last;
    column = lines[last].replace(/\s+$/, '').length;
  }
  return { message: capitalize(e.reason ?? firstLine(e.message ?? String(err))), line: chunk.startLine + line + 1, column: column + 1 };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
