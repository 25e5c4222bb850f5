import { parseArgs } from 'node:util';
import { evaluate } from '../../policies/engine.ts';
import type { Policy } from '../../policies/policy.ts';
import type { EvalContext, Finding, KubeVersion } from '../../policies/types.ts';
import { KUBE_VERSIONS } from '../../policies/types.ts';
import { SliceguardError } from '../../policies/errors.ts';
import { ServiceIndex, serviceInfoFrom } from '../../policies/services.ts';
import { parseJsonDocument, parseYamlDocuments, type ParsedDocument } from '../documents.ts';
import { Locator } from '../locate.ts';
import { expandInputs, readInput, type InputFile } from '../inputs.ts';
import { loadPolicy } from '../policy-file.ts';
import type { DocumentResult, RunReport, Violation } from '../report.ts';
import { FORMATTERS } from '../formatters/index.ts';
import type { Io } from '../io.ts';
import { VERSION } from '../version.ts';

const HELP = `Usage: sliceguard validate [options] PATH... | -

Checks EndpointSlice manifests (files, directories, or - for stdin) against the API server's
rules and the policy. Exit 0: nothing denied; 1: something denied; 2: the run failed.

Options:
  --format text|json|junit|sarif|github   output format (default: text)
  --kube-version ${KUBE_VERSIONS.join('|')}   API-server behaviour to model (default: 1.37)
  --namespace NS        namespace of documents without metadata.namespace (default: default)
  --policy FILE         policy file (rule severities, options, exemptions)
  --strict              treat warnings as denials
  --services FILE       Services for the Service-aware rules (repeatable)
  -h, --help            show this help
`;

/** Parsed `validate` options. */
export interface ValidateOptions {
  cwd: string;
  paths: string[];
  format: string;
  kubeVersion: KubeVersion;
  namespace: string;
  policyFile?: string;
  strict: boolean;
  services: string[];
}

/** Returns the options of `sliceguard validate`; throws `SG_USAGE` for a bad flag or value. */
export function parseValidateArgs(argv: string[], cwd: string): ValidateOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'kube-version': { type: 'string', default: '1.37' },
        namespace: { type: 'string', default: 'default' },
        policy: { type: 'string' },
        strict: { type: 'boolean', default: false },
        services: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new SliceguardError('SG_USAGE', `validate: ${(err as Error).message.split('\n')[0]}`);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (!(v.format in FORMATTERS)) throw new SliceguardError('SG_USAGE', `validate: --format ${v.format}: expected one of ${Object.keys(FORMATTERS).join(', ')}`);
  if (!(KUBE_VERSIONS as readonly string[]).includes(v['kube-version'])) {
    throw new SliceguardError('SG_USAGE', `validate: --kube-version ${v['kube-version']}: expected one of ${KUBE_VERSIONS.join(', ')}`);
  }
  if (parsed.positionals.length === 0) throw new SliceguardError('SG_USAGE', 'validate: no PATH given (use - for stdin); see sliceguard validate --help');
  return {
    cwd,
    paths: parsed.positionals,
    format: v.format,
    kubeVersion: v['kube-version'] as KubeVersion,
    namespace: v.namespace,
    policyFile: v.policy,
    strict: v.strict,
    services: v.services,
  };
}

/** Runs `sliceguard validate` and returns the exit code. */
export async function runValidate(argv: string[], io: Io): Promise<number> {
  const opts = parseValidateArgs(argv, io.cwd);
  if (opts === 'help') {
    io.stdout(HELP);
    return 0;
  }
  const policy = loadPolicy(opts.policyFile, { strict: opts.strict });
  const files = expandInputs(opts.paths, io.cwd);
  const sources = new Sources(files, io);
  const services = collectServices(sources, opts);
  const report = validateFiles(sources, policy, { kubeVersion: opts.kubeVersion, namespace: opts.namespace, services });
  io.stdout(FORMATTERS[opts.format](report, { color: io.stdoutIsTTY && opts.format === 'text', version: VERSION }));
  return report.summary.denied > 0 ? 1 : 0;
}

/** Reads each input once per pass; stdin is read once and kept. */
export class Sources {
  readonly files: InputFile[];
  private readonly io: Io;
  private stdinText: string | undefined;
  constructor(files: InputFile[], io: Io) {
    this.files = files;
    this.io = io;
  }
  text(file: InputFile): string {
    return readInput(file, () => (this.stdinText ??= this.io.readStdin()));
  }
  documents(file: InputFile, text = this.text(file)): ParsedDocument[] {
    const isJson = file.json || (file.path === '-' && /^\s*[{[]/.test(text) && !/^\s*---/m.test(text));
    return isJson ? [parseJsonDocument(text)] : parseYamlDocuments(text);
  }
}

const SERVICE_KIND = /kind["']?\s*:\s*["']?Service["']?\s*(?:[,}\r\n]|$)/;

/**
 * Returns the Services that the Service-aware rules see: every Service document in the input (a
 * cheap text test picks the files to parse) and `--services` files; undefined when there are none.
 */
function collectServices(sources: Sources, opts: ValidateOptions): ServiceIndex | undefined {
  const index = new ServiceIndex();
  const add = (value: unknown): void => {
    for (const unit of unitsOf(value)) {
      const info = serviceInfoFrom(unit.object, opts.namespace);
      if (info) index.set(info);
    }
  };
  for (const file of sources.files) {
    const text = sources.text(file);
    if (!SERVICE_KIND.test(text)) continue;
    for (const doc of sources.documents(file, text)) add(doc.value);
  }
  for (const p of opts.services) {
    const [file] = expandInputs([p], opts.cwd);
    for (const doc of sources.documents(file)) {
      if (doc.syntaxError) throw new SliceguardError('SG_SERVICES_INVALID', `${p}: document ${doc.index}: ${doc.syntaxError.message} (line ${doc.syntaxError.line})`);
      add(doc.value);
    }
  }
  const given = opts.services.length > 0;
  return index.size > 0 || given ? index : undefined;
}

/** One object to evaluate: a document, a `List` item, or an AdmissionReview's object. */
interface Unit {
  object: unknown;
  /** Pointer of the object inside its document. */
  prefix: string;
  item?: number;
  context: EvalContext;
}

function unitsOf(value: unknown): Unit[] {
  if (!isRecord(value)) return [{ object: value, prefix: '', context: {} }];
  if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    return value.items.map((object, item) => ({ object, prefix: `/items/${item}`, item, context: {} }));
  }
  if (value.kind === 'AdmissionReview' && isRecord(value.request)) {
    const r = value.request;
    const context: EvalContext = {};
    if (typeof r.operation === 'string') context.operation = r.operation as EvalContext['operation'];
    if (r.oldObject !== undefined && r.oldObject !== null) context.oldObject = r.oldObject;
    if (typeof r.namespace === 'string' && r.namespace !== '') context.namespace = r.namespace;
    if (isRecord(r.userInfo)) context.userInfo = r.userInfo as EvalContext['userInfo'];
    // DELETE carries only oldObject: nothing to check.
    const object = context.operation === 'DELETE' ? null : r.object;
    return [{ object, prefix: '/request/object', context }];
  }
  return [{ object: value, prefix: '', context: {} }];
}

interface RunOptions {
  kubeVersion: KubeVersion;
  namespace: string;
  services: ServiceIndex | undefined;
}

/** Returns the run report for every document of every file, in input order. */
export function validateFiles(sources: Sources, policy: Policy, opts: RunOptions): RunReport {
  const results: DocumentResult[] = [];
  let documents = 0;
  let endpointSlices = 0;
  for (const file of sources.files) {
    for (const doc of sources.documents(file)) {
      documents++;
      if (doc.syntaxError) {
        results.push(syntaxResult(file, doc));
        continue;
      }
      let locator: Locator | undefined;
      for (const unit of unitsOf(doc.value)) {
        const context: EvalContext = {
          kubeVersion: opts.kubeVersion,
          mode: 'offline',
          namespace: opts.namespace,
          ...unit.context,
          services: opts.services,
        };
        if (unit.prefix === '/request/object' && unit.context.namespace === undefined) delete context.namespace;
        const rep = evaluate(unit.object, policy, context);
        if (rep.judged) endpointSlices++;
        if (rep.findings.length > 0) locator ??= new Locator(doc.chunk);
        results.push(resultOf(file, doc, unit, rep.findings, rep.allowed, context.namespace, locator));
      }
    }
  }
  const denied = results.filter((r) => !r.allowed).length;
  const warned = results.filter((r) => r.violations.some((v) => v.severity === 'warn')).length;
  return { summary: { files: sources.files.length, documents, endpointSlices, denied, warned }, results };
}

function resultOf(file: InputFile, doc: ParsedDocument, unit: Unit, findings: Finding[], allowed: boolean, fallbackNs: string | undefined, locator: Locator | undefined): DocumentResult {
  const obj = isRecord(unit.object) ? unit.object : {};
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const ownNs = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  const start = (locator ?? new LazyStart(doc)).locate(unit.prefix);
  const result: DocumentResult = {
    file: file.display,
    document: doc.index,
    ...(unit.item !== undefined ? { item: unit.item } : {}),
    line: start.line,
    apiVersion: typeof obj.apiVersion === 'string' ? obj.apiVersion : null,
    kind: typeof obj.kind === 'string' ? obj.kind : null,
    namespace: ownNs ?? (typeof obj.kind === 'string' ? fallbackNs ?? null : null),
    name: typeof meta.name === 'string' ? meta.name : null,
    allowed,
    violations: findings.map((f): Violation => {
      const pointer = unit.prefix + f.pointer;
      const pos = (locator as Locator).locate(pointer);
      return { rule: f.rule, category: f.category, severity: f.severity, path: f.path, pointer, message: f.message, line: pos.line, column: pos.column };
    }),
  };
  return result;
}

/** The first content line of a clean document, without a second parse. */
class LazyStart {
  private readonly doc: ParsedDocument;
  constructor(doc: ParsedDocument) {
    this.doc = doc;
  }
  locate(_ptr: string): { line: number } {
    const text = this.doc.chunk.text;
    const m = /^(?![ \t]*(#|---[ \t]*$|%|\r?$))/m.exec(text);
    const before = m ? text.slice(0, m.index) : '';
    let line = this.doc.chunk.startLine + 1;
    for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
    return { line };
  }
}

function syntaxResult(file: InputFile, doc: ParsedDocument): DocumentResult {
  const e = doc.syntaxError!;
  return {
    file: file.display,
    document: doc.index,
    line: e.line,
    apiVersion: null,
    kind: null,
    namespace: null,
    name: null,
    allowed: false,
    violations: [
      { rule: 'syntax', category: 'apiserver', severity: 'deny', path: '', pointer: '', message: endSentence(e.message), line: e.line, column: e.column },
    ],
  };
}

function endSentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
