/**
 * The Kubernetes side of `certs ensure`, over @kubernetes/client-node: the TLS Secret and the
 * caBundle of webhook configurations. 404 on a read is "absent", 409 is a `ConflictError` for the
 * caller to retry with fresh reads, and every other failure is `SG_KUBE_API` with the API's message.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  AdmissionregistrationV1Api, ApiException, CoreV1Api, KubeConfig, Observable, PatchStrategy, setHeaderOptions,
  type ConfigurationOptions, type V1Secret,
} from '@kubernetes/client-node';
import { SliceguardError } from '../policies/errors.ts';

/** The two kinds whose webhooks carry a caBundle. */
export type WebhookKind = 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration';
export const WEBHOOK_KINDS: readonly WebhookKind[] = ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'];

/** A webhook configuration as `certs ensure` needs it: each webhook's name and caBundle (PEM). */
export interface WebhookConfig {
  kind: WebhookKind;
  name: string;
  resourceVersion: string;
  webhooks: { name: string; caBundle: string }[];
}

/** A Secret as read: its resourceVersion, type and data decoded to text. */
export interface SecretRecord {
  resourceVersion: string;
  type: string;
  data: Record<string, string>;
  raw: V1Secret;
}

/** Thrown for HTTP 409 (a write lost a race or the object already exists); the caller reads again. */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

/** What `certs ensure` does with the API; tests may pass their own. */
export interface CertsApi {
  readSecret(namespace: string, name: string): Promise<SecretRecord | undefined>;
  createSecret(namespace: string, name: string, data: Record<string, string>): Promise<void>;
  replaceSecret(namespace: string, old: SecretRecord, data: Record<string, string>): Promise<void>;
  /** Returns the configuration, undefined for 404, or 'forbidden' for 403 (RBAC may name only one kind). */
  readWebhookConfig(kind: WebhookKind, name: string): Promise<WebhookConfig | undefined | 'forbidden'>;
  patchCaBundle(config: WebhookConfig, bundlePem: string): Promise<void>;
}

/**
 * Returns credentials: the --kubeconfig file, else $KUBECONFIG, else the pod's service account,
 * else ~/.kube/config. Throws SG_USAGE when there are none, instead of client-node's fallback to
 * http://localhost:8080.
 */
export function loadKubeConfig(file: string | undefined, env: Record<string, string | undefined>): KubeConfig {
  const kc = new KubeConfig();
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  const source = file ?? env.KUBECONFIG?.split(':').find((f) => f !== '') ?? (env.KUBERNETES_SERVICE_HOST ? 'in-cluster' : existsSync(home) ? home : undefined);
  if (source === undefined) {
    throw new SliceguardError('SG_USAGE', 'certs ensure: no Kubernetes credentials; pass --kubeconfig FILE, set KUBECONFIG, or run in a pod');
  }
  try {
    if (source === 'in-cluster') kc.loadFromCluster();
    else kc.loadFromFile(source);
  } catch (err) {
    throw new SliceguardError('SG_USAGE', `certs ensure: cannot load the kubeconfig ${source}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!kc.getCurrentCluster()) throw new SliceguardError('SG_USAGE', `certs ensure: the kubeconfig ${source} has no current cluster`);
  return kc;
}

/**
 * How long one API call may take, from connecting to the last byte. client-node sets no limit, so
 * an API server (or a proxy) that accepts the connection and never answers held `certs ensure`,
 * and the chart's install hook with it, until something killed the Job.
 */
export const API_TIMEOUT_MS = 30_000;

/** Returns request options that abort a call after `ms` (client-node middleware sets the fetch signal). */
function timeoutOptions(ms: number): ConfigurationOptions {
  return {
    middleware: [{
      pre: (ctx) => {
        ctx.setSignal(AbortSignal.timeout(ms));
        return new Observable(Promise.resolve(ctx));
      },
      post: (ctx) => new Observable(Promise.resolve(ctx)),
    }],
    middlewareMergeStrategy: 'append',
  };
}

/** Returns a `CertsApi` over client-node with the given credentials; each call gives up after `timeoutMs`. */
export function kubeCertsApi(kc: KubeConfig, timeoutMs = API_TIMEOUT_MS): CertsApi {
  const core = kc.makeApiClient(CoreV1Api);
  const admission = kc.makeApiClient(AdmissionregistrationV1Api);
  const limit = (): ConfigurationOptions => timeoutOptions(timeoutMs);
  const call = <T extends object>(what: string, fn: () => Promise<T>, absent: number[] = []): Promise<T | number> =>
    callApi(what, fn, absent, timeoutMs);
  return {
    async readSecret(namespace, name) {
      const secret = await call(`get Secret ${namespace}/${name}`, () => core.readNamespacedSecret({ name, namespace }, limit()), [404]);
      return typeof secret === 'number' ? undefined : secretRecord(secret);
    },
    async createSecret(namespace, name, data) {
      const body: V1Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/tls', data: encode(data) };
      await call(`create Secret ${namespace}/${name}`, () => core.createNamespacedSecret({ namespace, body }, limit()));
    },
    async replaceSecret(namespace, old, data) {
      // PUT carries the resourceVersion read, so a concurrent writer makes this a 409, not a lost update.
      const body: V1Secret = { ...old.raw, data: encode(data) };
      const name = old.raw.metadata?.name ?? '';
      await call(`update Secret ${namespace}/${name}`, () => core.replaceNamespacedSecret({ name, namespace, body }, limit()));
    },
    async readWebhookConfig(kind, name) {
      const read = kind === 'ValidatingWebhookConfiguration'
        ? () => admission.readValidatingWebhookConfiguration({ name }, limit())
        : () => admission.readMutatingWebhookConfiguration({ name }, limit());
      const obj = await call(`get ${kind} ${name}`, read, [404, 403]);
      if (typeof obj === 'number') return obj === 403 ? 'forbidden' : undefined;
      return {
        kind,
        name,
        resourceVersion: obj.metadata?.resourceVersion ?? '',
        webhooks: (obj.webhooks ?? []).map((w) => ({ name: w.name, caBundle: decode(w.clientConfig?.caBundle) })),
      };
    },
    async patchCaBundle(config, bundlePem) {
      const body = caBundlePatch(config, bundlePem);
      // Strategic merge: webhooks merge by name (patchMergeKey), so every other field stays as it is.
      const options = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch, limit());
      const what = `patch ${config.kind} ${config.name}`;
      if (config.kind === 'ValidatingWebhookConfiguration') {
        await call(what, () => admission.patchValidatingWebhookConfiguration({ name: config.name, body }, options));
      } else {
        await call(what, () => admission.patchMutatingWebhookConfiguration({ name: config.name, body }, options));
      }
    },
  };
}

/**
 * Returns the strategic merge patch that sets caBundle on every webhook. The resourceVersion makes
 * it conditional: the API server answers 409 when the configuration changed since it was read.
 */
export function caBundlePatch(config: WebhookConfig, bundlePem: string): object {
  const caBundle = Buffer.from(bundlePem, 'utf8').toString('base64');
  return {
    metadata: { resourceVersion: config.resourceVersion },
    webhooks: config.webhooks.map((w) => ({ name: w.name, clientConfig: { caBundle } })),
  };
}

/** Runs one API call; returns the HTTP status when it is one of `absent`, and maps every other failure. */
async function callApi<T extends object>(what: string, fn: () => Promise<T>, absent: number[], timeoutMs: number): Promise<T | number> {
  try {
    return await fn();
  } catch (err) {
    if ((err as Error)?.name === 'TimeoutError') throw new SliceguardError('SG_KUBE_API', `${what}: no answer from the API server within ${timeoutMs / 1000} s`, { cause: err });
    if (err instanceof ApiException) {
      const code = Number(err.code);
      if (absent.includes(code)) return code;
      const message = apiMessage(err.body) ?? (code === 401 ? 'Unauthorized' : `HTTP ${code}`);
      if (code === 409) throw new ConflictError(`${what}: ${message}`);
      throw new SliceguardError('SG_KUBE_API', `${what}: ${message} (HTTP ${code})`);
    }
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    const msg = (err as Error).message ?? String(err);
    throw new SliceguardError('SG_KUBE_API', `${what}: ${cause ? `${msg}: ${cause}` : msg}`, { cause: err });
  }
}

/** Returns the `message` of a Kubernetes Status body (object or JSON text), if there is one. */
export function apiMessage(body: unknown): string | undefined {
  let obj = body;
  if (typeof body === 'string') {
    try {
      obj = JSON.parse(body);
    } catch {
      return body.trim() === '' ? undefined : body.trim().slice(0, 500);
    }
  }
  const message = (obj as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : undefined;
}

function secretRecord(secret: V1Secret): SecretRecord {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) data[k] = Buffer.from(v, 'base64').toString('utf8');
  return { resourceVersion: secret.metadata?.resourceVersion ?? '', type: secret.type ?? 'Opaque', data, raw: secret };
}

function encode(data: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
}

function decode(b64: string | undefined): string {
  return b64 ? Buffer.from(b64, 'base64').toString('utf8') : '';
}
