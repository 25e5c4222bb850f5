import type { Formatter, RunReport } from '../report.ts';

/** Results per piece of `jsonChunks`: pieces of about half a megabyte on typical reports. */
const RESULTS_PER_CHUNK = 1000;

/**
 * Yields the JSON document of contracts.md (one line, newline-terminated) in pieces, a thousand
 * results at a time, so that a large report is written without first being held as one string
 * (8 MB for 17,000 documents). The pieces joined are `JSON.stringify(report)` byte for byte.
 */
export function* jsonChunks(report: RunReport): Generator<string> {
  const { results } = report;
  let head = `{"summary":${JSON.stringify(report.summary)},"results":[`;
  for (let i = 0; i < results.length; i += RESULTS_PER_CHUNK) {
    const part = JSON.stringify(results.slice(i, i + RESULTS_PER_CHUNK));
    // `[a,b]` -> `a,b`, with a comma before every piece but the first.
    yield head + (i > 0 ? ',' : '') + part.slice(1, -1);
    head = '';
  }
  yield `${head}]}\n`;
}

/** Returns the report as the JSON document of contracts.md, one line, newline-terminated. */
const json: Formatter = (report) => [...jsonChunks(report)].join('');
export default json;
