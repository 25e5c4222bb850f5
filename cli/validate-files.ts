import { compareFindings, evaluate } from '../policies/engine.ts';
import type { Policy } from '../policies/policy.ts';
import type { Finding, KubeVersion, ServiceLookup } from '../policies/types.ts';
import { CrossSliceIndex } from '../policies/cross-slice.ts';
import type { Chunk, ParsedDocument } from './documents.ts';
import { Locator } from './locate.ts';
import type { InputFile } from './inputs.ts';
import type { DocumentResult, RunReport, Violation } from './report.ts';
import { effectiveNamespace, isRecord, unitContext, unitsOf, type Sources, type Unit } from './sources.ts';

/** What every document of a run is evaluated with. */
export interface RunOptions {
  kubeVersion: KubeVersion;
  namespace: string;
  services: ServiceLookup | undefined;
}

/** Where a judged slice's result is, to attach cross-slice findings to it at the end. */
export interface SliceRef {
  result: number;
  file: number;
  document: number;
  prefix: string;
}

/**
 * Returns the run report for every document of every file, in input order. Files are streamed
 * one at a time; across files only per-Service summaries are kept, and the cross-slice findings
 * are attached at the end by re-reading just the documents they concern.
 */
export function validateFiles(sources: Sources, policy: Policy, opts: RunOptions): RunReport {
  const cross = new CrossSliceIndex<SliceRef>(policy);
  const all = sources.files.map((_, i) => i);
  const group = validateGroup(sources, all, policy, opts, (slice, namespace, ref) => cross.add(slice, namespace, ref));
  return finishRun(sources, cross, opts, [group]);
}

/** The results of some of a run's files, without the cross-slice findings. */
export interface GroupResult {
  results: DocumentResult[];
  documents: number;
  endpointSlices: number;
}

/** Receives each judged slice, in input order, for the cross-slice index. */
export type SliceSink = (slice: Record<string, unknown>, namespace: string | undefined, ref: SliceRef) => void;

/**
 * How many documents are read before they are evaluated, and evaluated before their results are
 * made; fewer when their text would pass STAGE_TEXT characters: a 1000-endpoint slice (about
 * 125 kB) goes through alone, as before stages, since it fills the caches by itself. A List's
 * items are made into results STAGE_DOCUMENTS at a time too, so that a `kubectl get -o yaml` dump
 * of 100,000 slices does not keep every item's findings until its last item is evaluated.
 */
export const STAGE_DOCUMENTS = 16;
export const STAGE_TEXT = 64 * 1024;

/** A document that did not parse, or a unit of one that was evaluated, waiting for its result. */
type Judged = { doc: ParsedDocument; unit?: undefined } | { doc: ParsedDocument; unit: Unit; findings: Finding[]; allowed: boolean; namespace: string | undefined };

/**
 * Returns the results of the files at `fileIndexes` (in that order) and hands every judged slice to
 * `onSlice`; `ref.result` counts from 0 within the group. The parallel run (cli/parallel.ts) runs
 * groups of files side by side and joins them with `finishRun`.
 *
 * Documents go through in stages, STAGE_DOCUMENTS at a time: read, then evaluated, then turned
 * into results. Taking each document through all three in turn ran the YAML reader, some forty
 * rules and the result code one after the other, and each found the CPU's caches full of the
 * others' code and data (docs/performance.md, "Eighth round"). Results, slices and their order
 * are the same.
 */
export function validateGroup(sources: Sources, fileIndexes: readonly number[], policy: Policy, opts: RunOptions, onSlice: SliceSink): GroupResult {
  const results: DocumentResult[] = [];
  let documents = 0;
  let endpointSlices = 0;
  const docs: ParsedDocument[] = [];
  // Characters of text in `docs`.
  let text = 0;
  const judged: Judged[] = [];
  // The document whose positions `locator` has (a List's items may span several stages).
  let located: ParsedDocument | undefined;
  let locator: Locator | undefined;
  const emit = (file: InputFile): void => {
    for (const j of judged) {
      if (j.unit === undefined) {
        results.push(syntaxResult(file, j.doc));
        continue;
      }
      if (located !== j.doc) (located = j.doc), (locator = undefined);
      // Findings need positions; so does a List item or a review's object (its own line, not the document's).
      if (j.findings.length > 0 || j.unit.prefix !== '') locator ??= new Locator(j.doc.chunk);
      results.push(resultOf(file, j.doc, j.unit, j.findings, j.allowed, j.namespace, locator));
    }
    judged.length = 0;
  };
  const flush = (file: InputFile, fileIndex: number): void => {
    for (const doc of docs) {
      if (doc.syntaxError) {
        judged.push({ doc });
        continue;
      }
      for (const unit of unitsOf(doc.value)) {
        if (judged.length === STAGE_DOCUMENTS) emit(file);
        const context = unitContext(unit, opts);
        const rep = evaluate(unit.object, policy, context);
        if (rep.judged) {
          endpointSlices++;
          const ref = { result: results.length + judged.length, file: fileIndex, document: doc.index, prefix: unit.prefix };
          onSlice(unit.object as Record<string, unknown>, effectiveNamespace(unit.object, context), ref);
        }
        judged.push({ doc, unit, findings: rep.findings, allowed: rep.allowed, namespace: context.namespace });
      }
    }
    emit(file);
    docs.length = 0;
    text = 0;
    located = locator = undefined;
  };
  for (const fileIndex of fileIndexes) {
    const file = sources.files[fileIndex];
    for (const doc of sources.documents(file)) {
      documents++;
      const size = doc.chunk.text.length;
      if (docs.length > 0 && text + size > STAGE_TEXT) flush(file, fileIndex);
      text += size;
      if (docs.push(doc) === STAGE_DOCUMENTS || text >= STAGE_TEXT) flush(file, fileIndex);
    }
    flush(file, fileIndex);
  }
  return { results, documents, endpointSlices };
}

/**
 * Returns the run report from its groups' results in input order, with the cross-slice findings
 * (whose refs count results across all groups) attached and the summary counted.
 */
export function finishRun(sources: Sources, cross: CrossSliceIndex<SliceRef>, opts: RunOptions, groups: GroupResult[]): RunReport {
  const results = groups.length === 1 ? groups[0].results : groups.flatMap((g) => g.results);
  attachCrossSlice(cross.findings(opts.services), results, sources);
  let documents = 0;
  let endpointSlices = 0;
  for (const g of groups) (documents += g.documents), (endpointSlices += g.endpointSlices);
  const denied = results.filter((r) => !r.allowed).length;
  const warned = results.filter((r) => r.violations.some((v) => v.severity === 'warn')).length;
  return { summary: { files: sources.files.length, documents, endpointSlices, denied, warned }, results };
}

/** Adds cross-slice findings to their results, locating them in a second read of only those files. */
function attachCrossSlice(extra: Map<SliceRef, Finding[]>, results: DocumentResult[], sources: Sources): void {
  const byFile = new Map<number, SliceRef[]>();
  for (const ref of extra.keys()) {
    const list = byFile.get(ref.file);
    if (list) list.push(ref);
    else byFile.set(ref.file, [ref]);
  }
  for (const [fileIndex, refs] of byFile) {
    const chunks: Chunk[] = sources.chunks(sources.files[fileIndex]);
    // One document's locator at a time: a file with findings in 40,000 documents must not hold
    // 40,000 position maps at once.
    refs.sort((a, b) => a.document - b.document);
    let current: { document: number; locator: Locator } | undefined;
    for (const ref of refs) {
      if (current?.document !== ref.document) current = { document: ref.document, locator: new Locator(chunks[ref.document]) };
      const locator = current.locator;
      const result = results[ref.result];
      for (const f of extra.get(ref) ?? []) result.violations.push(violationOf(f, ref.prefix, locator));
      result.violations.sort(compareFindings);
      result.allowed = !result.violations.some((v) => v.severity === 'deny');
    }
  }
}

function violationOf(f: Finding, prefix: string, locator: Locator): Violation {
  const pointer = prefix + f.pointer;
  const pos = locator.locate(pointer);
  return { rule: f.rule, category: f.category, severity: f.severity, path: f.path, pointer, message: f.message, line: pos.line, column: pos.column };
}

function resultOf(file: InputFile, doc: ParsedDocument, unit: Unit, findings: Finding[], allowed: boolean, fallbackNs: string | undefined, locator: Locator | undefined): DocumentResult {
  const obj = isRecord(unit.object) ? unit.object : {};
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const ownNs = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  const start = (locator ?? new LazyStart(doc)).locate(unit.prefix);
  return {
    file: file.display,
    document: doc.index,
    ...(unit.item !== undefined ? { item: unit.item } : {}),
    line: start.line,
    apiVersion: typeof obj.apiVersion === 'string' ? shared(obj.apiVersion) : null,
    kind: typeof obj.kind === 'string' ? shared(obj.kind) : null,
    namespace: ownNs !== undefined ? shared(ownNs) : typeof obj.kind === 'string' ? fallbackNs ?? null : null,
    name: typeof meta.name === 'string' ? meta.name : null,
    allowed,
    violations: findings.map((f) => violationOf(f, unit.prefix, locator as Locator)),
  };
}

// Results are kept to the end of the run (the summary is printed first), and nearly all of them
// repeat a few apiVersions, kinds and namespaces, each parsed as a string of its own per document.
const sharedStrings = new Map<string, string>();
const SHARED_MAX = 4096;

/** Returns one copy of a string that many results repeat (input decides how many: bounded). */
function shared(s: string): string {
  const known = sharedStrings.get(s);
  if (known !== undefined) return known;
  if (sharedStrings.size < SHARED_MAX && s.length <= 253) sharedStrings.set(s, s);
  return s;
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
