/**
 * What the server does when its certificate or policy files change: check the new content, switch
 * to it, or keep the old one and say why. Watching itself is in reload.ts.
 */
import type { Server as HttpsServer } from 'node:https';
import type { Logger } from 'pino';
import type { Policy } from '../policies/policy.ts';
import { parsePolicyText } from '../policies/policy-file.ts';
import { SliceguardError } from '../policies/errors.ts';
import { certificateLog } from './logging.ts';
import type { WebhookMetrics } from './metrics.ts';
import { FilePoller } from './reload.ts';
import { certificateProblem, checkCertificate, TLS_SETTINGS, type ServingCertificate } from './tls.ts';

/** The running server's certificate and policy, which the reloaders replace. */
export interface ReloadTarget {
  cert: ServingCertificate;
  policy: Policy;
}

/** What a reloader works with. */
export interface ReloadContext {
  state: ReloadTarget;
  server: HttpsServer;
  metrics: WebhookMetrics;
  log: Logger;
  now: () => number;
}

/**
 * Returns a poller that switches the server to a new certificate and key when the files change.
 * A pair that does not parse, does not match, or is not valid now is refused and the old one kept.
 */
export function certificatePoller(ctx: ReloadContext, certFile: string, keyFile: string): FilePoller<unknown> {
  const poller = new FilePoller<ServingCertificate>(
    {
      files: [certFile, keyFile],
      load: ([cert, key]) => {
        const next = checkCertificate(cert, key, `${certFile} and ${keyFile}`);
        const problem = certificateProblem(next, ctx.now());
        if (problem) throw new SliceguardError('SG_CERT_INVALID', `${certFile}: ${problem}`);
        return next;
      },
      onLoad: (next) => {
        // New connections get the new certificate; open ones keep theirs, so nothing is dropped.
        ctx.server.setSecureContext({ ...TLS_SETTINGS, cert: next.cert, key: next.key });
        ctx.state.cert = next;
        ctx.metrics.certificate('success', next.notAfter);
        ctx.log.info(certificateLog(next, ctx.now()), 'serving certificate reloaded');
      },
      onError: (err) => {
        ctx.metrics.certificate('failure');
        ctx.log.error({ certFile, keyFile, err: errorText(err) }, 'new serving certificate refused; keeping the old one');
      },
    },
    [ctx.state.cert.cert, ctx.state.cert.key],
  );
  return poller as FilePoller<unknown>;
}

/** Returns a poller that switches to a new policy when the file changes; a bad policy is refused and the old one kept. */
export function policyPoller(ctx: ReloadContext, file: string, initialText: string): FilePoller<unknown> {
  const poller = new FilePoller<Policy>(
    {
      files: [file],
      load: ([text]) => parsePolicyText(text, file),
      onLoad: (next) => {
        ctx.state.policy = next;
        ctx.metrics.policy('success');
        ctx.log.info({ policyFile: file, rules: next.rules.length }, 'policy reloaded');
      },
      onError: (err) => {
        ctx.metrics.policy('failure');
        ctx.log.error({ policyFile: file, err: errorText(err) }, 'new policy refused; keeping the old one');
      },
    },
    [initialText],
  );
  return poller as FilePoller<unknown>;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
