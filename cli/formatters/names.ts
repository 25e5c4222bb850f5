/**
 * The names `--format` accepts, apart from the formatters themselves (cli/formatters/index.ts):
 * checking a flag must not load them (`validate` decides where to run before loading its parts).
 */
export const FORMAT_NAMES = ['text', 'json', 'junit', 'sarif', 'github'] as const;

/** One of FORMAT_NAMES. */
export type FormatName = (typeof FORMAT_NAMES)[number];

/** True when `name` is a format `--format` accepts. */
export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}
