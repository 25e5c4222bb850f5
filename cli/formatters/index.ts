import type { ChunkedFormatter, Formatter } from '../report.ts';
import github from './github.ts';
import json, { jsonChunks } from './json.ts';
import junit from './junit.ts';
import sarif from './sarif.ts';
import text from './text.ts';
import type { FormatName } from './names.ts';

/**
 * Every output format by name, as `--format` accepts it. The object has no prototype, so that
 * `--format toString` is an unknown format rather than Object.prototype.toString.
 */
const ALL: Record<FormatName, Formatter> = { text, json, junit, sarif, github };
export const FORMATTERS: Readonly<Record<string, Formatter>> = Object.freeze(Object.assign(Object.create(null) as Record<string, Formatter>, ALL));

/**
 * The formats that can also be written in pieces (same bytes as the formatter's string), so
 * that a large report is never one string in memory.
 */
export const CHUNKED_FORMATTERS: Readonly<Record<string, ChunkedFormatter>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, ChunkedFormatter>, { json: jsonChunks }),
);
