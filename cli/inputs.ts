import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
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

/** The largest file read: V8 strings hold at most 2^29 - 24 characters; checked before reading. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

/**
 * Returns a file's text as kubectl reads it (see `decodeManifest`); throws `SG_INPUT_UNREADABLE`
 * naming the file when it cannot be read. `note` hears, once per call, when the text is not
 * exactly the file's UTF-8 bytes.
 */
export function readInput(file: InputFile, stdin: () => string | Uint8Array, note: (message: string) => void = () => {}): string {
  try {
    if (file.path !== '-' && statSync(file.path).size > MAX_INPUT_BYTES) {
      throw Object.assign(new Error('too large'), { code: 'ERR_FS_FILE_TOO_LARGE' });
    }
    const bytes = file.path === '-' ? stdin() : readFileSync(file.path);
    return typeof bytes === 'string' ? bytes : decodeManifest(bytes, (m) => note(`${file.display}: ${m}`));
  } catch (err) {
    throw new SliceguardError('SG_INPUT_UNREADABLE', `${file.display}: ${describeFsError(err)}`);
  }
}

/**
 * True when an input can be read only once: stdin, and paths that are not regular files (a named
 * pipe, or `<(helm template ...)`'s /dev/fd/N). `Sources` keeps their text for the second pass.
 * A path that cannot be stat'ed is not: reading it reports why.
 */
export function readsOnce(file: InputFile): boolean {
  if (file.path === '-') return true;
  try {
    return !statSync(file.path).isFile();
  } catch {
    return false;
  }
}

/** A buffer reused from file to file by `readPlainUtf8`. */
export interface Scratch {
  bytes: Buffer;
  /**
   * Which version of the file the last read that returned bytes saw: its device, inode, size and
   * change times (`fstat`), so that a caller can tell whether a file changed between two reads.
   */
  version?: string;
}

/**
 * Reads a regular file into `scratch` (grown as needed and reused from file to file) and returns
 * a view of its bytes when kubectl reads them as they are: valid UTF-8 without a UTF-16
 * byte-order mark. The caller then decodes each document on its own, and no string of the whole
 * file is made: a file over 128 kB is a large object to V8, which outlives the file in the old
 * generation until the next full collection (docs/performance.md, fifth round). Undefined for
 * anything else (stdin, a pipe, UTF-16, invalid UTF-8): `readInput` reads those and says how.
 * The view is valid until the next call with the same scratch. Throws `SG_INPUT_UNREADABLE` as
 * `readInput` does.
 */
export function readPlainUtf8(file: InputFile, scratch: Scratch): Buffer | undefined {
  if (readsOnce(file)) return undefined;
  try {
    const fd = openSync(file.path, 'r');
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) return undefined;
      if (st.size > MAX_INPUT_BYTES) throw Object.assign(new Error('too large'), { code: 'ERR_FS_FILE_TOO_LARGE' });
      // One byte more than the size: a file that grew since fstat is read as text instead.
      if (scratch.bytes.length < st.size + 1) scratch.bytes = Buffer.allocUnsafe(Math.max(st.size + 1, 2 * scratch.bytes.length));
      let n = 0;
      for (let r = -1; r !== 0 && n <= st.size; n += r) r = readSync(fd, scratch.bytes, n, st.size + 1 - n, null);
      if (n !== st.size) return undefined;
      const bytes = scratch.bytes.subarray(0, n);
      const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
      if (utf16 || !isUtf8(bytes)) return undefined;
      scratch.version = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
      return bytes;
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new SliceguardError('SG_INPUT_UNREADABLE', `${file.display}: ${describeFsError(err)}`);
  }
}

/**
 * Returns the text of manifest bytes as kubectl decodes them: cli-runtime's FileVisitor reads
 * through `unicode.BOMOverride(unicode.UTF8.NewDecoder())`, so a UTF-16 byte-order mark selects
 * UTF-16, and otherwise each invalid UTF-8 sequence becomes U+FFFD. Refusing such a file would
 * fail CI on what kubectl applies; reading it silently would hide that the API server gets other
 * characters than the file shows. So both are read, and `note` says where.
 */
export function decodeManifest(bytes: Uint8Array, note: (message: string) => void): string {
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  if (utf16) {
    note(`${utf16.toUpperCase()} text (byte-order mark); read as kubectl reads it, and --fix leaves the file alone`);
    return new TextDecoder(utf16).decode(bytes);
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!isUtf8(buffer)) {
    const at = firstInvalidUtf8(buffer);
    const lineStart = buffer.lastIndexOf(0x0a, at - 1) + 1;
    let line = 1;
    for (let i = buffer.indexOf(0x0a); i !== -1 && i < at; i = buffer.indexOf(0x0a, i + 1)) line++;
    const column = buffer.toString('utf8', lineStart, at).length + 1;
    const hex = buffer[at].toString(16).padStart(2, '0');
    note(`not valid UTF-8: byte 0x${hex} at line ${line}, column ${column} (offset ${at}); read with U+FFFD in its place, as kubectl does, and --fix leaves the file alone`);
  }
  // Node replaces invalid sequences with U+FFFD as the WHATWG decoder does (and keeps a UTF-8 BOM).
  return buffer.toString('utf8');
}

/** Returns the offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    // Overlong forms, surrogates and code points above U+10FFFF are invalid in the second byte.
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
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
    case 'EIO':
      return 'input/output error';
    case 'ERR_STRING_TOO_LONG':
    case 'ERR_FS_FILE_TOO_LARGE':
      return 'too large to read as text (over 512 MiB)';
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

/**
 * Returns the size of the input files together, in bytes (unreadable files count as empty), or
 * undefined when one of them can be read only once (stdin, a pipe: see `readsOnce`), whose size
 * is not known before it is read. One stat per file.
 */
export function regularInputBytes(files: readonly InputFile[]): number | undefined {
  let total = 0;
  for (const f of files) {
    if (f.path === '-') return undefined;
    let st;
    try {
      st = statSync(f.path);
    } catch {
      continue; // unreadable files are reported when they are read, in order
    }
    if (!st.isFile()) return undefined;
    total += st.size;
  }
  return total;
}

/** Returns each input file's size in bytes (0 for stdin and for files that cannot be read). */
export function inputSizes(files: readonly InputFile[]): number[] {
  return files.map((f) => {
    if (f.path === '-') return 0;
    try {
      return statSync(f.path).size;
    } catch {
      return 0; // unreadable files are reported when they are read, in order
    }
  });
}
