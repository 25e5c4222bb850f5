import type { Formatter } from '../report.ts';

/** Returns the report as the JSON document of contracts.md, one line, newline-terminated. */
const json: Formatter = (report) => JSON.stringify(report) + '\n';
export default json;
