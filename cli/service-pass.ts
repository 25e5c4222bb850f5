/**
 * The Service pass of `validate`: before any slice is judged, every Service among the inputs and
 * in `--services` files is collected for the Service-aware rules. A cheap text test picks the
 * documents to parse; the Service documents it parses are left on the Sources as small stand-ins,
 * so that the validation pass does not parse them again. The parallel run (cli/parallel.ts) runs
 * `servicesOfFiles` on each thread's own files.
 */
import { SliceguardError } from '../policies/errors.ts';
import { ServiceIndex, serviceInfoFrom } from '../policies/services.ts';
import type { ServiceInfo } from '../policies/types.ts';
import { parseChunk, parseJsonDocument } from './documents.ts';
import { expandInputs } from './inputs.ts';
import { isRecord, unitsOf, type Sources } from './sources.ts';

const SERVICE_KIND = /kind["']?\s*:\s*["']?Service["']?\s*(?:[,}\r\n#]|$)/;
// A block-style document's own kind is at column 0; an ownerReference's `kind: Service` is not.
const TOP_LEVEL_KIND = /^kind:[ \t]*["']?(?:Service|[A-Za-z]*List|AdmissionReview)["']?[ \t]*(?:#.*)?\r?$/m;
const BLOCK_KEY = /^[A-Za-z"']/m;

/**
 * True when a document may hold a Service: it mentions one, and either its own top-level kind is
 * Service (or a List or AdmissionReview that may carry one), or it is not block-style YAML (JSON
 * or flow style, where the cheap test cannot tell levels apart). Exported slices name their
 * Service in ownerReferences; without the top-level test every one of them was parsed twice.
 */
function mayHoldService(text: string): boolean {
  return SERVICE_KIND.test(text) && (TOP_LEVEL_KIND.test(text) || !BLOCK_KEY.test(text));
}

/**
 * Returns what the validation pass needs of a Service document the Service pass has read: a
 * stand-in with its kind, apiVersion, name and namespace (no rule runs on Services, so the result
 * is the same). Undefined for anything else (a List, a review): the validation pass reads those
 * again rather than holding them in memory until it gets there.
 */
function serviceStandIn(value: unknown): Record<string, unknown> | undefined {
  if (!isRecord(value) || value.kind !== 'Service') return undefined;
  const meta = isRecord(value.metadata) ? value.metadata : undefined;
  const metadata: Record<string, unknown> = {};
  if (meta && 'name' in meta) metadata.name = meta.name;
  if (meta && 'namespace' in meta) metadata.namespace = meta.namespace;
  return { apiVersion: value.apiVersion, kind: value.kind, metadata };
}

/** Returns the Services of the given input files, in input order (a later one replaces an earlier one of the same name). */
export function servicesOfFiles(sources: Sources, fileIndexes: readonly number[], namespace: string): ServiceInfo[] {
  const out: ServiceInfo[] = [];
  for (const fileIndex of fileIndexes) {
    const file = sources.files[fileIndex];
    // Only the documents that mention a Service are parsed in this first pass.
    for (const [at, chunk] of sources.chunksWith(file, 'Service')) {
      if (!mayHoldService(chunk.text)) continue;
      // Positions are of no use here: the validation pass uses a stand-in or parses anew.
      const doc = chunk.json ? parseJsonDocument(chunk.text) : parseChunk(chunk, at, false);
      if (doc.syntaxError) continue;
      addServices(doc.value, namespace, out);
      const standIn = chunk.json ? undefined : serviceStandIn(doc.value);
      if (standIn) sources.carry(file, at, standIn);
    }
  }
  return out;
}

/** Returns the Services of `--services` files; a document there that does not parse is an error (SG_SERVICES_INVALID). */
export function servicesOfServiceFiles(sources: Sources, paths: readonly string[], namespace: string, cwd: string): ServiceInfo[] {
  const out: ServiceInfo[] = [];
  for (const file of expandInputs([...paths], cwd)) {
    for (const doc of sources.documents(file)) {
      if (doc.syntaxError) {
        throw new SliceguardError('SG_SERVICES_INVALID', `${file.display}: document ${doc.index}: ${doc.syntaxError.message} (line ${doc.syntaxError.line})`);
      }
      addServices(doc.value, namespace, out);
    }
  }
  return out;
}

function addServices(value: unknown, namespace: string, out: ServiceInfo[]): void {
  for (const unit of unitsOf(value)) {
    const info = serviceInfoFrom(unit.object, namespace);
    if (info) out.push(info);
  }
}

/**
 * Returns the index of the Services found (input files first, then `--services` files, later ones
 * replacing earlier ones); undefined when there are none at all and no `--services` was given,
 * which keeps the Service-aware rules silent.
 */
export function serviceIndexOf(infos: readonly ServiceInfo[], servicePaths: readonly string[]): ServiceIndex | undefined {
  const index = new ServiceIndex();
  for (const info of infos) index.set(info);
  return index.size > 0 || servicePaths.length > 0 ? index : undefined;
}

/**
 * Returns the Services that the Service-aware rules see: every Service document in the input and
 * the `--services` files; undefined when there are none at all.
 */
export function collectServices(sources: Sources, opts: { services: readonly string[]; namespace: string; cwd: string }): ServiceIndex | undefined {
  const all = sources.files.map((_, i) => i);
  const infos = [...servicesOfFiles(sources, all, opts.namespace), ...servicesOfServiceFiles(sources, opts.services, opts.namespace, opts.cwd)];
  return serviceIndexOf(infos, opts.services);
}
