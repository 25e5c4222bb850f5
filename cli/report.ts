/** The run report that every output format renders (contracts.md, "Output"). */
import type { RuleInfo } from './formatters/rule-info.ts';

/** One finding as it leaves the program. */
export interface Violation {
  rule: string;
  category: 'apiserver' | 'policy';
  severity: 'deny' | 'warn';
  path: string;
  pointer: string;
  message: string;
  line: number;
  column: number;
}

/** The result for one document (or, for a `List`, one item of it). */
export interface DocumentResult {
  file: string;
  /** 0-based index of the document in its file; every YAML document counts, empty ones too. */
  document: number;
  /** Index in `items` when the document is a `List`. */
  item?: number;
  line: number;
  apiVersion: string | null;
  kind: string | null;
  namespace: string | null;
  name: string | null;
  allowed: boolean;
  violations: Violation[];
}

/** Everything one `sliceguard validate` run found. */
export interface RunReport {
  summary: { files: number; documents: number; endpointSlices: number; denied: number; warned: number };
  results: DocumentResult[];
}

/** Options every formatter receives. */
export interface FormatOptions {
  /** ANSI colour (text format on a TTY only). */
  color: boolean;
  /** The sliceguard version, for formats that name their tool. */
  version: string;
  /** Rule descriptions for formats that list rules (sarif); the registry's when absent. */
  rules?: readonly RuleInfo[];
}

/** A formatter turns a run report into the exact bytes to print. */
export type Formatter = (report: RunReport, options: FormatOptions) => string;

/** A formatter that yields its bytes in pieces (joined, the same as its `Formatter`'s string). */
export type ChunkedFormatter = (report: RunReport, options: FormatOptions) => Iterable<string>;
