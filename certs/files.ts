/**
 * Writing certificate files: each file is written to a temporary file in the same directory,
 * flushed, and renamed over the target, so a reader (the webhook's reloader) sees the old file or
 * the new one, never half of one. Keys are created with mode 0600 from the first byte.
 */
import { closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { SliceguardError } from '../policies/errors.ts';
import type { CertificateSet } from './generate.ts';

/** Mode of private key files: readable by the owner only. */
export const KEY_MODE = 0o600;
/** Mode of certificate files: public material. */
export const CERT_MODE = 0o644;

/** Writes `text` to `file` atomically with exactly `mode` (whatever the umask); throws `SG_CERT_UNWRITABLE`. */
export function writeFileAtomic(file: string, text: string, mode: number): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', mode);
    fchmodSync(fd, mode); // open's mode is filtered by the umask; the key must not depend on it
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw new SliceguardError('SG_CERT_UNWRITABLE', `Cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
}

/** The files `certs generate` writes, in the order it writes them. */
export const CERT_FILES = ['ca.crt', 'tls.key', 'tls.crt'] as const;

/**
 * Writes ca.crt, tls.key and tls.crt into `dir` (created with mode 0700 when missing). Without
 * `force`, refuses (SG_USAGE) when any of them exists, before writing anything. The key is
 * written before the certificate, so a reloader that sees the new certificate finds its key.
 */
export function writeCertificateFiles(dir: string, set: CertificateSet, force: boolean): string[] {
  const paths = CERT_FILES.map((name) => join(dir, name));
  if (!force) {
    const present = paths.filter((p) => existsSync(p));
    if (present.length > 0) {
      throw new SliceguardError('SG_USAGE', `certs generate: ${present.join(', ')} already exist${present.length === 1 ? 's' : ''}; pass --force to replace.`);
    }
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new SliceguardError('SG_CERT_UNWRITABLE', `Cannot create ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
  const content: Record<(typeof CERT_FILES)[number], [string, number]> = {
    'ca.crt': [set.caCert, CERT_MODE],
    'tls.key': [set.key, KEY_MODE],
    'tls.crt': [set.cert, CERT_MODE],
  };
  for (const name of CERT_FILES) writeFileAtomic(join(dir, name), ...content[name]);
  return paths;
}
