import yaml from 'js-yaml';
import { fastLoad, type Pos } from './fast-yaml.ts';
import { KUBECTL_YAML_SCHEMA } from './yaml-schema.ts';
import { MAX_JSON_DEPTH } from './json-document.ts';

export { parseJsonDocument, jsonErrorOffset, MAX_JSON_DEPTH } from './json-document.ts';

/** One YAML document's source: its text and where it starts in the file. */
export interface Chunk {
  text: string;
  /** 0-based line of the chunk's first character in the file. */
  startLine: number;
  /**
   * Node positions from the fast reader (keys as the parsed object has them), when the maker of
   * the chunk has them; the Locator then uses them as they are.
   */
  positions?: Pos;
  /**
   * Set by `parseChunk` when the fast reader read the chunk: its text is plain block YAML, which
   * the Locator can walk to a pointer without reading it again.
   */
  blockStyle?: boolean;
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
  return yamlSpans(stringSource(text)).map((span) => ({ text: text.slice(span.start, span.end), startLine: span.startLine }));
}

/** Where one document of a YAML stream is: offsets into its source, and its first line (0-based). */
export interface Span {
  start: number;
  end: number;
  startLine: number;
}

/**
 * What `yamlSpans` reads: a string, or UTF-8 bytes (cli/sources.ts reads files so, and decodes
 * each document's text on its own, so that no string of the whole file is made). The markers and
 * separators it looks for are ASCII, which UTF-8 keeps as single bytes, and a marker line's
 * remainder is decoded before it is tested, so both give the same documents.
 */
export interface StreamSource {
  readonly length: number;
  /** The code unit (string) or byte at `i`; NaN past the end. */
  code(i: number): number;
  /** The offset of the first `\n` at or after `from`, or `length`. */
  lineEnd(from: number): number;
  text(from: number, to: number): string;
}

/** A string as a StreamSource (offsets are UTF-16 code units). */
export function stringSource(s: string): StreamSource {
  return {
    length: s.length,
    code: (i) => s.charCodeAt(i),
    lineEnd: (from) => {
      const e = s.indexOf('\n', from);
      return e === -1 ? s.length : e;
    },
    text: (from, to) => s.slice(from, to),
  };
}

/** UTF-8 bytes as a StreamSource (offsets are bytes; text is decoded on demand). */
export function byteSource(b: Buffer): StreamSource {
  return {
    length: b.length,
    code: (i) => (i >= 0 && i < b.length ? b[i] : NaN),
    lineEnd: (from) => {
      const e = b.indexOf(10, from);
      return e === -1 ? b.length : e;
    },
    text: (from, to) => b.toString('utf8', from, to),
  };
}

/** Returns where the documents of a YAML stream are (see `splitYamlStream`). */
export function yamlSpans(src: StreamSource): Span[] {
  const spans: Span[] = [];
  const len = src.length;
  const last = src.code(len - 1);
  // As if the text ended in a newline (js-yaml adds one).
  const lenWithNewline = last === 10 || last === 13 ? len : len + 1;
  let lead = 0;
  while (src.code(lead) === 32) lead++;
  let open = lead < lenWithNewline - 1;
  let start = 0;
  let startLine = 0;
  let explicit = false;
  let content = false;
  const close = (end: number): void => {
    spans.push({ start, end, startLine });
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
  for (let pos = 0; pos < len; line++) {
    const eol = src.lineEnd(pos);
    const c = src.code(pos);
    const marker = (c === 45 || c === 46) && isMarker(src, pos, c) ? c : 0;
    // Most lines are content inside an open document: nothing to decide for them.
    if (marker === 0 && open && content) {
      pos = eol + 1;
      continue;
    }
    const separation = marker === 0 && isBlankOrComment(src, pos, eol);
    if (!open && (!separation || c === 37)) begin(pos, line);
    if (open) {
      if (marker === 45) {
        if (explicit || content) {
          close(pos);
          begin(pos, line);
        }
        explicit = true;
        // `--- value` on the marker line is content of the new document.
        content = /\S/.test(src.text(pos + 3, eol).replace(/(^|\s)#.*$/, ''));
      } else if (marker === 46) {
        close(pos);
      } else if (!separation) {
        content = true;
      }
    }
    pos = eol + 1;
  }
  if (open) close(len);
  return spans;
}

/** True when the line at `pos` is a `---` or `...` marker (three of `c`, then a space or the end). */
function isMarker(src: StreamSource, pos: number, c: number): boolean {
  if (src.code(pos + 1) !== c || src.code(pos + 2) !== c) return false;
  const d = src.code(pos + 3);
  return pos + 3 >= src.length || d === 32 || d === 9 || d === 10 || d === 13;
}

function isBlankOrComment(src: StreamSource, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = src.code(i);
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
  let index = 0;
  for (const chunk of eachYamlChunk(text)) yield parseChunk(chunk, index++);
}

/** Yields the chunks of `splitYamlStream(text)` one at a time, letting go of each once the caller has handled it. */
export function* eachYamlChunk(text: string): Generator<Chunk> {
  const chunks: (Chunk | undefined)[] = splitYamlStream(text);
  for (let index = 0; index < chunks.length; index++) {
    const chunk = chunks[index] as Chunk;
    chunks[index] = undefined;
    yield chunk;
  }
}

/**
 * Returns one document parsed from its chunk (as `iterateYamlDocuments` yields it). With
 * `forLocator` (the default) a chunk the fast reader read is marked `blockStyle`, so that the
 * Locator walks its text to each finding's pointer rather than reading it again.
 */
export function parseChunk(chunk: Chunk, index: number, forLocator = true): ParsedDocument {
  // Plain block YAML (nearly every manifest) is read by the fast reader, with js-yaml's result;
  // anything else, and every syntax error, goes to js-yaml.
  // No positions are recorded: they were a quarter of all the memory `validate` allocated on the
  // typical benchmark corpus, for the third of its documents that have findings, and walking to
  // those findings (cli/locate-walk.ts) costs about what keeping them saved. A document with an
  // empty value, where the walk and js-yaml's listener may place a node differently, is left to
  // the listener as before.
  const fast = fastLoad(chunk.text, KUBECTL_YAML_SCHEMA);
  if (fast) {
    if (forLocator && fast.walkable) chunk.blockStyle = true;
    return { index, chunk, value: fast.value };
  }
  let value: unknown;
  try {
    // kubectl's YAML 1.1 reading (yes/on are booleans, timestamps stay strings): see yaml-schema.ts.
    value = yaml.load(chunk.text, { schema: KUBECTL_YAML_SCHEMA }) ?? null;
  } catch (err) {
    return { index, chunk, value: undefined, syntaxError: syntaxErrorOf(err, chunk) };
  }
  // Anchors and aliases share nodes; a "billion laughs" document is small but expands beyond reason.
  if (chunk.text.includes('*') && chunk.text.includes('&')) {
    // Aliases can also stack nestings that the parser saw one at a time: bound the depth too.
    const size = expandedSize(value, MAX_EXPANDED_NODES, MAX_JSON_DEPTH);
    if (size > MAX_EXPANDED_NODES) {
      const message = size === Infinity
        ? `Document is nested more than ${MAX_JSON_DEPTH} levels deep through YAML aliases, too deeply to read`
        : `Document expands to more than ${MAX_EXPANDED_NODES} nodes through YAML aliases; kubectl refuses such excessive aliasing`;
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
 * Returns Infinity when a list or map is nested more than `maxDepth` levels deep, which also
 * bounds the recursion.
 */
export function expandedSize(value: unknown, cap: number, maxDepth = MAX_JSON_DEPTH): number {
  // Per object: its expanded size and height, so a shared node reached again deeper down is
  // judged by the depth it would really reach.
  const memo = new Map<object, [number, number]>();
  const visit = (v: unknown, depth: number): [number, number] => {
    if (v === null || typeof v !== 'object') return [1, 0];
    if (depth >= maxDepth) return [Infinity, 0];
    const known = memo.get(v);
    // A node of height h at depth d has containers down to depth d + h - 1.
    if (known !== undefined) return depth + known[1] - 1 >= maxDepth ? [Infinity, 0] : known;
    memo.set(v, [cap + 1, 0]); // a cycle (js-yaml can build one with a recursive alias) counts as too big
    let n = 1;
    let h = 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      const [cn, ch] = visit(child, depth + 1);
      n += cn;
      h = Math.max(h, ch + 1);
      if (n > cap) break;
    }
    memo.set(v, [n, h]);
    return [n, h];
  };
  return visit(value, 0)[0];
}

function syntaxErrorOf(err: unknown, chunk: Chunk): { message: string; line: number; column: number } {
  if (err instanceof RangeError) return { message: 'Document is nested too deeply to read', line: chunk.startLine + 1, column: 1 };
  const e = err as { reason?: string; message?: string; mark?: { line: number; column: number; position: number } };
  const mark = e.mark;
  let line = mark ? mark.line : 0;
  let column = mark ? mark.column : 0;
  // js-yaml looks for NUL before it reads a line, so its mark says line 0 and the offset as column.
  if (mark && /null byte/i.test(e.reason ?? '')) {
    const before = chunk.text.slice(0, mark.position);
    line = before.split('\n').length - 1;
    column = mark.position - (before.lastIndexOf('\n') + 1);
  }
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
