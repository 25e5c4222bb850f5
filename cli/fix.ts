/**
 * `validate --fix` and `--fix-dry-run`: applies the enabled rules' fixes to the input files. The
 * fixes are JSON Patch operations computed by the rules from the raw objects (policies/fix.ts);
 * this file turns them into text edits of just the documents they touch, so comments, key order
 * and every untouched document stay as they were.
 */
import { writeFileSync } from 'node:fs';
import { fixObject } from '../policies/fix.ts';
import { applyPatch } from '../policies/patch.ts';
import type { Policy } from '../policies/policy.ts';
import type { PatchOperation } from '../policies/types.ts';
import { SliceguardError } from '../policies/errors.ts';
import { iterateYamlDocuments, parseJsonDocument, type ParsedDocument } from './documents.ts';
import { describeFsError, type InputFile } from './inputs.ts';
import type { Io } from './io.ts';
import { unitContext, unitsOf, type Sources } from './sources.ts';
import type { RunOptions } from './validate-files.ts';
import { editYaml } from './yaml-edit.ts';
import { unifiedDiff } from './diff.ts';

/** How to fix: write the files back (`--fix`) or only compute the changes (`--fix-dry-run`). */
export interface FixFilesOptions {
  write: boolean;
  io: Io;
}

/**
 * Applies the fixes to every input file and returns the unified diff of all changes. The fixed
 * texts replace the originals in `sources`, so a later validation reports what is left; with
 * `write` they are also written to disk. A document whose fixes cannot be applied to its text is
 * left as it is, with a note on stderr. Throws `SG_FIX_UNWRITABLE` when a file cannot be written.
 */
export function fixFiles(sources: Sources, policy: Policy, run: RunOptions, opts: FixFilesOptions): string {
  let diff = '';
  for (const file of sources.files) {
    const text = sources.text(file);
    // Not UTF-8, or UTF-16: writing the text back would change bytes no fix asked to change.
    if (!sources.rewritable(file)) continue;
    const fixed = sources.isJson(file, text) ? fixJson(text, policy, run) : fixYaml(text, file, policy, run, opts.io);
    if (fixed === text) continue;
    diff += unifiedDiff(text, fixed, file.display);
    sources.replace(file, fixed);
    if (!opts.write) continue;
    try {
      writeFileSync(file.path, fixed);
    } catch (err) {
      throw new SliceguardError('SG_FIX_UNWRITABLE', `${file.display}: cannot write the fixed file: ${describeFsError(err)}`);
    }
  }
  return diff;
}

/** Returns the patch for one document: every fixable unit's fixes, at the unit's place in it. */
function documentPatch(doc: ParsedDocument, policy: Policy, run: RunOptions): PatchOperation[] {
  if (doc.syntaxError) return [];
  const ops: PatchOperation[] = [];
  for (const unit of unitsOf(doc.value)) {
    // An AdmissionReview is a recorded request, not a manifest: it is checked, never rewritten.
    if (unit.prefix.startsWith('/request')) continue;
    const { patch } = fixObject(unit.object, policy, unitContext(unit, run));
    for (const op of patch) ops.push(prefixed(op, unit.prefix));
  }
  return ops;
}

function prefixed(op: PatchOperation, prefix: string): PatchOperation {
  if (prefix === '') return op;
  return 'from' in op ? { ...op, path: prefix + op.path, from: prefix + op.from } : { ...op, path: prefix + op.path };
}

function fixJson(text: string, policy: Policy, run: RunOptions): string {
  const doc = parseJsonDocument(text);
  const ops = documentPatch(doc, policy, run);
  if (ops.length === 0) return text;
  // JSON has no comments to keep: re-serialise with the file's own indentation and final newline.
  const indent = /^[{[][ \t]*\r?\n([ \t]+)/.exec(text)?.[1] ?? '';
  const out = JSON.stringify(applyPatch(doc.value, ops), null, indent);
  return out + (/\n$/.test(text) ? '\n' : '');
}

function fixYaml(text: string, file: InputFile, policy: Policy, run: RunOptions, io: Io): string {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  let out = '';
  let copied = 0;
  for (const doc of iterateYamlDocuments(text)) {
    const ops = documentPatch(doc, policy, run);
    if (ops.length === 0) continue;
    const edited = editYaml(doc.chunk.text, ops, applyPatch(doc.value, ops));
    if (edited === undefined) {
      io.stderr(`sliceguard: ${file.display}: document ${doc.index}: the fixes could not be applied to its text; left unchanged\n`);
      continue;
    }
    // Chunks start at line starts and are verbatim slices of the file.
    const start = lineStarts[doc.chunk.startLine];
    out += text.slice(copied, start) + edited;
    copied = start + doc.chunk.text.length;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
