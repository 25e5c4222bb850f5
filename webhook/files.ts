/**
 * Reading the serving certificate and the policy from files, at start-up (where a problem stops
 * the server) and on reload (where a problem keeps the last good one).
 */
import { readFileSync } from 'node:fs';
import { createPolicy, type Policy } from '../policies/policy.ts';
import { parsePolicyText } from '../policies/policy-file.ts';
import { SliceguardError } from '../policies/errors.ts';
import { checkCertificate, type ServingCertificate } from './tls.ts';

/** Returns the certificate and key in these files; throws `SG_CERT_UNREADABLE` or `SG_CERT_INVALID`. */
export function readCertificateFiles(certFile: string, keyFile: string): ServingCertificate {
  const cert = readText(certFile, 'SG_CERT_UNREADABLE');
  const key = readText(keyFile, 'SG_CERT_UNREADABLE');
  return checkCertificate(cert, key, `${certFile} and ${keyFile}`);
}

/**
 * Returns the policy in `file` and the text it came from, or the default policy without a file;
 * throws `SG_POLICY_UNREADABLE` or `SG_POLICY_INVALID`.
 */
export function readPolicyFile(file: string | undefined): { policy: Policy; text?: string } {
  if (file === undefined) return { policy: createPolicy() };
  const text = readText(file, 'SG_POLICY_UNREADABLE');
  return { policy: parsePolicyText(text, file), text };
}

function readText(file: string, code: 'SG_CERT_UNREADABLE' | 'SG_POLICY_UNREADABLE'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new SliceguardError(code, `${file}: ${fsProblem(err)}`);
  }
}

/** Returns a short description of a file-system error (`no such file or directory`). */
export function fsProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file or directory';
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return 'permission denied';
  if (e?.code === 'EISDIR') return 'is a directory';
  return e?.message ?? String(err);
}
