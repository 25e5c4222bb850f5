import type { Formatter } from '../report.ts';
import { countFindings, plural, printable, slashPath, sortedEntries } from './shared.ts';

/**
 * Returns GitHub Actions workflow commands, one per finding (`::error file=...,line=...,col=...,
 * title=...::message`, `::warning` for warnings), which GitHub shows as annotations on the lines
 * of the pull request, then a plain summary line for the log. File names are as given on the
 * command line with forward slashes: GitHub resolves them against the repository root.
 * https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
 */
const github: Formatter = (report) => {
  const lines = sortedEntries(report).map(({ result, violation: v }) => {
    const command = v.severity === 'deny' ? 'error' : 'warning';
    const props = [
      `file=${escapeProperty(slashPath(result.file))}`,
      `line=${v.line}`,
      `col=${v.column}`,
      `title=${escapeProperty(`sliceguard ${v.rule}`)}`,
    ];
    return `::${command} ${props.join(',')}::${escapeData(v.message)}`;
  });
  const { deny, warn } = countFindings(report);
  const s = report.summary;
  const found = deny + warn === 0 ? 'No problems' : `${plural(deny + warn, 'problem')} (${deny} deny, ${warn} warn)`;
  lines.push(`sliceguard: ${found}; checked ${plural(s.files, 'file')}, ${plural(s.documents, 'document')}, ${plural(s.endpointSlices, 'EndpointSlice')}.`);
  return lines.join('\n') + '\n';
};
export default github;

/**
 * Returns a command's message escaped as @actions/core does (`%`, CR, LF); other control
 * characters are written as `\u001b` so that a manifest cannot colour or rewrite the log.
 */
export function escapeData(s: string): string {
  return printable(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** Returns a command property value escaped as @actions/core does: as data, plus `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
