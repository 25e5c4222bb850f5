/**
 * JSON files: one document each, read with `JSON.parse` (the fast path), with a small scanner that
 * finds where a broken file goes wrong and a depth limit that `JSON.parse` does not have.
 */
import type { ParsedDocument } from './documents.ts';

/**
 * The deepest nesting read. kube-apiserver's decoder stops at 10000 levels, but no EndpointSlice
 * field nests beyond a dozen, js-yaml gives up near 2000 on its own, and structuredClone and
 * JSON.stringify overflow the stack near 4000: a limit below all of them keeps every later step
 * (rules, fixes, output) safe from a 100,000-level document.
 */
export const MAX_JSON_DEPTH = 1000;

/** Returns the single document of a JSON file; a broken or too deeply nested one carries the error. */
export function parseJsonDocument(text: string): ParsedDocument {
  const chunk = { text, startLine: 0 };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof RangeError ? 'nested too deeply to read' : (err as Error).message.split('\n')[0].replace(/, ".*" is not valid JSON$/, '');
    return { index: 0, chunk, value: undefined, syntaxError: syntaxAt(text, `Invalid JSON: ${reason}`) };
  }
  // Nesting needs two characters a level: short texts cannot be too deep.
  if (text.length > 2 * MAX_JSON_DEPTH && deeperThan(value, MAX_JSON_DEPTH)) {
    return { index: 0, chunk, value: undefined, syntaxError: syntaxAt(text, '') };
  }
  return { index: 0, chunk, value };
}

/** Returns the error at the scanner's offset; a too-deep document gets the depth message. */
function syntaxAt(text: string, message: string): { message: string; line: number; column: number } {
  const { offset, tooDeep } = scanJson(text);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { message: tooDeep ? `Document is nested more than ${MAX_JSON_DEPTH} levels deep, too deeply to read` : message, line, column };
}

/** True when `value` has a list or object nested more than `max` levels deep (iterative: no stack). */
export function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** Returns the offset of the first character that makes `text` invalid JSON (RFC 8259). */
export function jsonErrorOffset(text: string): number {
  return scanJson(text).offset;
}

/**
 * Scans `text` as JSON and returns where it first goes wrong: a character that RFC 8259 does not
 * allow there, or the bracket that opens level `MAX_JSON_DEPTH + 1` (`tooDeep`). The recursion is
 * bounded by that limit, so the scanner cannot overflow the stack.
 */
function scanJson(text: string): { offset: number; tooDeep: boolean } {
  let i = 0;
  let tooDeep = false;
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
      if (depth >= MAX_JSON_DEPTH) {
        tooDeep = true;
        fail();
      }
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
    if (typeof at === 'number') return { offset: Math.min(at, text.length), tooDeep };
    return { offset: 0, tooDeep };
  }
  return { offset: 0, tooDeep };
}
