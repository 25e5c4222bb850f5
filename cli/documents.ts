import yaml from 'js-yaml';

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

const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/;

/**
 * Returns the documents of a YAML stream, split on `---` and `...` markers at column 0 (the YAML
 * spec forbids them inside scalars), counting documents exactly as js-yaml's `loadAll` does, empty
 * ones included. Splitting first lets each document be parsed, and located, on its own.
 */
export function splitYamlStream(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let startLine = 0;
  let explicit = false;
  let content = false;
  let line = 0;
  let pos = 0;
  const close = (end: number): void => {
    if (explicit || content) chunks.push({ text: text.slice(start, end), startLine });
  };
  while (pos < text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = text.length;
    const c = text.charCodeAt(pos);
    if ((c === 45 || c === 46) && MARKER.test(text.slice(pos, pos + 4))) {
      if (c === 45) {
        if (explicit || content) {
          close(pos);
          start = pos;
          startLine = line;
        }
        explicit = true;
        // `--- value` on the marker line is content of the new document.
        content = /\S/.test(text.slice(pos + 3, eol).replace(/#.*$/, ''));
      } else {
        close(pos);
        start = eol + 1;
        startLine = line + 1;
        explicit = false;
        content = false;
      }
    } else if (!content && !isBlankOrComment(text, pos, eol)) {
      content = true;
    }
    pos = eol + 1;
    line++;
  }
  if (explicit || content) close(text.length);
  else if (chunks.length === 0 && /\S/.test(text)) chunks.push({ text: text.slice(start), startLine }); // comments only: one null document
  return chunks;
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
  return splitYamlStream(text).map((chunk, index) => {
    try {
      return { index, chunk, value: yaml.load(chunk.text) };
    } catch (err) {
      return { index, chunk, value: undefined, syntaxError: syntaxErrorOf(err, chunk) };
    }
  });
}

/** Returns the single document of a JSON file; `JSON.parse` is the fast path. */
export function parseJsonDocument(text: string): ParsedDocument {
  const chunk = { text, startLine: 0 };
  try {
    return { index: 0, chunk, value: JSON.parse(text) };
  } catch (err) {
    // JSON.parse does not give positions; js-yaml reads JSON and does (or parses what JSON.parse refused).
    try {
      yaml.load(text);
    } catch (yerr) {
      return { index: 0, chunk, value: undefined, syntaxError: syntaxErrorOf(yerr, chunk) };
    }
    return { index: 0, chunk, value: undefined, syntaxError: { message: firstLine((err as Error).message), line: 1, column: 1 } };
  }
}

function syntaxErrorOf(err: unknown, chunk: Chunk): { message: string; line: number; column: number } {
  const e = err as { reason?: string; message?: string; mark?: { line: number; column: number } };
  const mark = e.mark;
  return {
    message: capitalize(e.reason ?? firstLine(e.message ?? String(err))),
    line: chunk.startLine + (mark ? mark.line : 0) + 1,
    column: (mark ? mark.column : 0) + 1,
  };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
