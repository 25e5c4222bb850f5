import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { SliceguardError } from '../policies/errors.ts';

/** One input source: a file path, or `-` for stdin. */
export interface InputFile {
  /** The name shown to users and written into reports. */
  display: string;
  /** Absolute path, or `-` for stdin. */
  path: string;
  json: boolean;
}

const EXTENSIONS = /\.(ya?ml|json)$/i;

/**
 * Returns the files named by the command line's paths, in order: files as given, directories
 * walked recursively (`.yaml`, `.yml`, `.json`, sorted by name; symlink loops followed once).
 * Throws `SG_INPUT_UNREADABLE` naming the path when a path does not exist or cannot be read.
 */
export function expandInputs(paths: string[], cwd: string): InputFile[] {
  const out: InputFile[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push({ display: '<stdin>', path: '-', json: false });
      continue;
    }
    const abs = isAbsolute(p) ? p : join(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (err) {
      throw new SliceguardError('SG_INPUT_UNREADABLE', `${p}: ${describeFsError(err)}`);
    }
    if (st.isDirectory()) walk(abs, p, new Set(), out);
    else out.push({ display: p, path: abs, json: /\.json$/i.test(p) });
  }
  return out;
}

function walk(dir: string, display: string, seen: Set<string>, out: InputFile[]): void {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch (err) {
    throw new SliceguardError('SG_INPUT_UNREADABLE', `${display}: ${describeFsError(err)}`);
  }
  if (seen.has(real)) return; // a symlink loop: this directory is already being walked
  seen.add(real);
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    throw new SliceguardError('SG_INPUT_UNREADABLE', `${display}: ${describeFsError(err)}`);
  }
  for (const name of names) {
    const abs = join(dir, name);
    const shown = join(display, name);
    let st;
    try {
      st = statSync(abs);
    } catch {
      continue; // a dangling symlink inside a directory is not an input
    }
    if (st.isDirectory()) walk(abs, shown, seen, out);
    else if (st.isFile() && EXTENSIONS.test(name)) out.push({ display: shown, path: abs, json: /\.json$/i.test(name) });
  }
  seen.delete(real);
}

/** Returns a file's text; throws `SG_INPUT_UNREADABLE` naming the file when it cannot be read. */
export function readInput(file: InputFile, stdin: () => string): string {
  if (file.path === '-') return stdin();
  try {
    return readFileSync(file.path, 'utf8');
  } catch (err) {
    throw new SliceguardError('SG_INPUT_UNREADABLE', `${file.display}: ${describeFsError(err)}`);
  }
}

/** Returns a short, human description of a file-system error (`no such file or directory`). */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENOTDIR':
      return 'not a directory (a path component is a file)';
    default:
      return e?.message ?? String(err);
  }
}

/** Returns `p` relative to `cwd` when it lies inside it, else unchanged. */
export function displayPath(p: string, cwd: string): string {
  const r = relative(cwd, p);
  return r.startsWith('..') ? p : r;
}
