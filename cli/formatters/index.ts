import type { Formatter } from '../report.ts';
import json from './json.ts';

/** Every output format by name, as `--format` accepts it. */
export const FORMATTERS: Record<string, Formatter> = {
  json,
};
