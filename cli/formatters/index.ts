import type { Formatter } from '../report.ts';
import github from './github.ts';
import json from './json.ts';
import junit from './junit.ts';
import sarif from './sarif.ts';
import text from './text.ts';

/**
 * Every output format by name, as `--format` accepts it. The object has no prototype, so that
 * `--format toString` is an unknown format rather than Object.prototype.toString.
 */
export const FORMATTERS: Readonly<Record<string, Formatter>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, Formatter>, { text, json, junit, sarif, github }),
);
