import type { EvalContext } from '../policies/types.ts';
import { SliceguardError } from '../policies/errors.ts';
import { byteSource, eachYamlChunk, parseChunk, parseJsonDocument, yamlSpans, type Chunk, type ParsedDocument } from './documents.ts';
import { readInput, readPlainUtf8, readsOnce, type InputFile, type Scratch } from './inputs.ts';
import type { Io } from './io.ts';
import { noteWork } from './young-generation.ts';

/**
 * The input files of one run. Each pass reads a file again rather than keeping it (memory must not
 * grow with the input); stdin and pipes are read once and kept, and `--fix` can put a fixed text
 * in place of a file's own so that the report describes the result.
 */
export class Sources {
  readonly files: InputFile[];
  private readonly io: Io;
  private stdinText: string | Uint8Array | undefined;
  private readonly noted = new Set<InputFile>();
  private readonly replaced = new Map<InputFile, string>();
  /** The text of inputs that can be read only once (a pipe), kept for the second pass. */
  private readonly once = new Map<InputFile, string>();
  /** Stand-ins for YAML documents already read by the Service pass, by file and document index. */
  private readonly carried = new Map<InputFile, Map<number, unknown>>();
  /**
   * Where the documents of a UTF-8 YAML file are, as the Service pass found them (start, end and
   * first line of each, packed), for the validation pass to use rather than split the file again;
   * with the version of the file that was read (Scratch.version), so that a file that changed in
   * between is split anew.
   */
  private readonly kept = new Map<InputFile, { version: string; spans: Int32Array }>();
  /** The buffer YAML files are read into (cli/inputs.ts readPlainUtf8), and how many reads it has seen. */
  private readonly scratch: Scratch = { bytes: Buffer.alloc(0) };
  private reads = 0;

  constructor(files: InputFile[], io: Io) {
    this.files = files;
    this.io = io;
  }

  /** Returns the text of a file (or its replacement); a decoding note goes to stderr once per file. */
  text(file: InputFile): string {
    const kept = this.replaced.get(file) ?? this.once.get(file);
    if (kept !== undefined) return kept;
    const text = readInput(file, () => (this.stdinText ??= this.io.readStdin()), (note) => this.note(file, note));
    if (file.path !== '-' && readsOnce(file)) this.once.set(file, text);
    return text;
  }

  /** False when the text is not exactly the file's UTF-8 bytes (writing it back would change them). */
  rewritable(file: InputFile): boolean {
    return !this.noted.has(file);
  }

  /** Records that a note about `file` was given elsewhere (by a worker thread), so it is not given again. */
  markNoted(file: InputFile): void {
    this.noted.add(file);
  }

  private note(file: InputFile, message: string): void {
    if (this.noted.has(file)) return;
    this.noted.add(file);
    this.io.stderr(`sliceguard: ${message}\n`);
  }

  /** Uses `text` as the content of `file` from now on (the file on disk is not touched). */
  replace(file: InputFile, text: string): void {
    this.replaced.set(file, text);
    // `--fix` writes the file too: what was read of it, under any of the names it was given, is old.
    for (const other of [...this.kept.keys(), ...this.carried.keys()]) {
      if (other === file || other.path === file.path) (this.kept.delete(other), this.carried.delete(other));
    }
  }

  /**
   * Records that document `index` of a YAML file reads as `standIn` for the validation pass, which
   * then skips parsing it. The Service pass has parsed every Service already; a stand-in with just
   * its kind, apiVersion, name and namespace gives the same result (no rule runs on Services)
   * without parsing each Service twice or keeping the whole object until the second pass.
   */
  carry(file: InputFile, index: number, standIn: unknown): void {
    let byIndex = this.carried.get(file);
    if (!byIndex) this.carried.set(file, (byIndex = new Map()));
    byIndex.set(index, standIn);
  }

  /** True when the file is read as one JSON document rather than a YAML stream. */
  isJson(file: InputFile, text: string): boolean {
    return file.json || (file.path === '-' && /^\s*[{[]/.test(text) && !/^\s*---/m.test(text));
  }

  /**
   * Yields the parsed documents of a file one at a time (a YAML document is parsed when reached,
   * unless the Service pass left a stand-in for it), so a large file is never held whole: the
   * validation pass holds at most STAGE_DOCUMENTS of them, or one large one (cli/validate-files.ts).
   */
  *documents(file: InputFile): Iterable<ParsedDocument> {
    try {
      let index = 0;
      for (const chunk of this.eachChunk(file)) {
        if (chunk.json) {
          yield parseJsonDocument(chunk.text);
          return;
        }
        // Looked up as each document is reached: reading the file drops them if it changed since.
        const standIn = this.carried.get(file)?.get(index);
        yield standIn !== undefined ? { index, chunk, value: standIn } : parseChunk(chunk, index);
        index++;
      }
    } finally {
      this.carried.delete(file);
    }
  }

  /**
   * Yields the source chunks of a file's documents in order, each made when reached: a UTF-8 YAML
   * file is read as bytes and each document decoded on its own, so that no string of the whole
   * file is made (cli/inputs.ts readPlainUtf8). A JSON file is one chunk marked `json`.
   * The chunks of one file must be taken before another file is read.
   */
  *eachChunk(file: InputFile): Generator<Chunk & { json?: boolean }> {
    for (const [, chunk] of this.indexedChunks(file, undefined)) yield chunk;
  }

  /**
   * Yields `[document index, chunk]` for the documents of a file whose text contains `needle`, as
   * `eachChunk` makes them; the others are not decoded, and a file without it is not even split.
   * The Service pass looks for "Service" so: most slices never mention one.
   */
  chunksWith(file: InputFile, needle: string): Generator<[number, Chunk & { json?: boolean }]> {
    return this.indexedChunks(file, needle);
  }

  private *indexedChunks(file: InputFile, needle: string | undefined): Generator<[number, Chunk & { json?: boolean }]> {
    const reading = !file.json && !this.replaced.has(file);
    const bytes = reading ? readPlainUtf8(file, this.scratch) : undefined;
    // Any read may have overwritten the buffer that a walk of another file is decoding from.
    const read = reading ? ++this.reads : this.reads;
    if (!bytes) {
      // Read as bytes by the Service pass and not now: the file changed in between.
      if (this.kept.delete(file)) this.carried.delete(file);
      const text = this.text(file);
      if (needle !== undefined && !text.includes(needle)) return;
      if (this.isJson(file, text)) {
        noteWork(text.length);
        yield [0, { text, startLine: 0, json: true }];
        return;
      }
      let index = 0;
      for (const chunk of eachYamlChunk(text)) {
        const at = index++;
        noteWork(chunk.text.length);
        if (needle === undefined || chunk.text.includes(needle)) yield [at, chunk];
      }
      return;
    }
    // The next place the needle is in the file: a document that ends before it holds none.
    let hit = needle === undefined ? 0 : bytes.indexOf(needle);
    if (hit === -1) return;
    const spans = this.spansOf(file, bytes, needle !== undefined);
    for (let k = 0; k < spans.length; k += 3) {
      if (this.reads !== read) throw new SliceguardError('SG_INTERNAL', `${file.display}: another file was read before this one's documents were`);
      const start = spans[k];
      const end = spans[k + 1];
      noteWork(end - start);
      if (needle !== undefined) {
        if (hit < start) hit = bytes.indexOf(needle, start);
        if (hit === -1) return;
        if (hit + needle.length > end) continue;
      }
      yield [k / 3, { text: bytes.toString('utf8', start, end), startLine: spans[k + 2] }];
    }
  }

  /**
   * Returns where the documents of a file's bytes are, as (start, end, first line) triples. The
   * Service pass (`keep`) keeps them for the next pass, which takes them: splitting was a tenth of
   * the Service pass's time on the benchmark's typical corpus, and it read every file twice.
   */
  private spansOf(file: InputFile, bytes: Buffer, keep: boolean): Int32Array {
    const version = this.scratch.version ?? '';
    const kept = this.kept.get(file);
    this.kept.delete(file);
    if (kept?.version === version) return kept.spans;
    // The file changed since the Service pass: its stand-ins may no longer be where they were.
    if (kept) this.carried.delete(file);
    const found = yamlSpans(byteSource(bytes));
    const spans = new Int32Array(3 * found.length);
    for (let i = 0; i < found.length; i++) (spans[3 * i] = found[i].start), (spans[3 * i + 1] = found[i].end), (spans[3 * i + 2] = found[i].startLine);
    if (keep) this.kept.set(file, { version, spans });
    return spans;
  }

  /** Returns the source chunks of a file's documents, in document order, without parsing them. */
  chunks(file: InputFile): Chunk[] {
    return [...this.eachChunk(file)];
  }
}

/** One object to evaluate: a document, a `List` item, or an AdmissionReview's object. */
export interface Unit {
  object: unknown;
  /** Pointer of the object inside its document. */
  prefix: string;
  item?: number;
  context: EvalContext;
}

/** Returns the objects to evaluate in one document value. */
export function unitsOf(value: unknown): Unit[] {
  if (!isRecord(value)) return [{ object: value, prefix: '', context: {} }];
  // A List is its items; an empty List is still a document with a result of its own.
  if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items) && value.items.length > 0) {
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

/** Returns the context a unit is evaluated in: the run's, overridden by an AdmissionReview's own. */
export function unitContext(unit: Unit, run: Pick<EvalContext, 'kubeVersion' | 'namespace' | 'services'>): EvalContext {
  const context: EvalContext = { kubeVersion: run.kubeVersion, mode: 'offline', namespace: run.namespace, ...unit.context, services: run.services };
  // An AdmissionReview's object is in request.namespace, else its own; never --namespace.
  if (unit.prefix === '/request/object' && unit.context.namespace === undefined) delete context.namespace;
  return context;
}

/** Returns the namespace an object is in: its own, else the context's. */
export function effectiveNamespace(object: unknown, context: EvalContext): string | undefined {
  const meta = isRecord(object) && isRecord(object.metadata) ? object.metadata : undefined;
  const own = typeof meta?.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  return own ?? context.namespace;
}

/** True for a plain JSON object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
