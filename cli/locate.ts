import yaml from 'js-yaml';
import { parsePointer } from '../policies/pointer.ts';
import type { Chunk } from './documents.ts';
import { fastLoad, type Pos } from './fast-yaml.ts';
import { PointerWalker } from './locate-walk.ts';
import { KUBECTL_YAML_SCHEMA } from './yaml-schema.ts';

/** A 1-based line and column in a file. */
export interface Position {
  line: number;
  column: number;
}

interface Frame {
  start: number;
  kind?: string | null;
  result?: unknown;
  children: Frame[];
}

/**
 * Turns JSON Pointers into file positions for one document. Built only for documents that have
 * findings: it parses the document once more with js-yaml's node listener (JSON is YAML too), so
 * the fast path that checks clean documents pays nothing for positions.
 */
export class Locator {
  private root: Frame | undefined;
  /** Positions from the fast reader, for plain block YAML (then `root` is not built). */
  private fast: Pos | undefined;
  private lineStarts: number[] = [0];
  /** Walk the text to each pointer (a large block-style document) rather than read it. */
  private walk = false;
  private walker: PointerWalker | undefined;
  private readonly chunk: Chunk;

  /** `fastReader: false` forces js-yaml's listener path (tests compare the two). */
  constructor(chunk: Chunk, fastReader = true) {
    this.chunk = chunk;
    const text = chunk.text;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    // A large block-style document is walked to each pointer (cli/locate-walk.ts) and read again
    // only when a walk gives up.
    if (fastReader && !chunk.positions && chunk.blockStyle) {
      this.walk = true;
      return;
    }
    this.read(fastReader);
  }

  private read(fastReader: boolean, schema: yaml.Schema = yaml.DEFAULT_SCHEMA): void {
    const { chunk } = this;
    const text = chunk.text;
    // Positions kept from parseChunk have keys as the evaluated object has them (kubectl's YAML 1.1
    // reading: an `on:` key is "true"); reading anew, keys resolve with js-yaml's default schema,
    // as the listener path below reads them.
    this.fast = fastReader ? (chunk.positions ?? fastLoad(text, schema, true)?.pos) : undefined;
    if (this.fast) return;
    const stack: Frame[] = [{ start: 0, children: [] }];
    try {
      yaml.load(text, {
        listener(event, state) {
          if (event === 'open') stack.push({ start: state.position, children: [] });
          else {
            const frame = stack.pop() as Frame;
            frame.kind = state.kind;
            frame.result = state.result;
            stack[stack.length - 1].children.push(frame);
          }
        },
      });
      this.root = stack[0].children[0];
    } catch {
      this.root = undefined;
    }
  }

  /** Returns the position of the node at `ptr`, or of its nearest present parent. */
  locate(ptr: string): Position {
    if (this.walk) {
      this.walker ??= new PointerWalker(this.chunk.text, KUBECTL_YAML_SCHEMA);
      const at = this.walker.find(ptr);
      if (at !== undefined) return this.position(at);
      this.walk = false;
      // The fast reader read this document with kubectl's schema: read it so again (`on:` is /true).
      this.read(true, KUBECTL_YAML_SCHEMA);
    }
    if (this.fast) return this.position(fastAt(this.fast, ptr));
    let frame = this.root;
    if (!frame) return this.position(0);
    let at = frame.start;
    for (const seg of parsePointer(ptr)) {
      const next = child(frame, seg);
      if (!next) break;
      frame = next.value;
      at = next.at;
    }
    return this.position(at);
  }

  /** Returns the position of the document's root node (its first content). */
  documentStart(): Position {
    if (this.walk) return this.locate('');
    if (this.fast) return this.position(this.fast.at);
    return this.position(this.root ? this.root.start : 0);
  }

  private position(offset: number): Position {
    const text = this.chunk.text;
    let i = offset;
    // Listener offsets may sit on the whitespace or the `- ` before a node; move to the node.
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else if (c === 35) i = nextLine(text, i);
      else if (c === 45 && i + 1 < text.length && ' \n\t-'.includes(text[i + 1]) && text.slice(i, i + 3) !== '---') i++;
      else break;
    }
    if (i >= text.length) i = Math.min(offset, Math.max(0, text.length - 1));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return { line: this.chunk.startLine + lo + 1, column: i - this.lineStarts[lo] + 1 };
  }
}

/** Returns the offset for `ptr` in fast-reader positions: the node's, or its nearest present parent's. */
function fastAt(root: Pos, ptr: string): number {
  let node = root;
  for (const seg of parsePointer(ptr)) {
    let next: Pos | undefined;
    if (node.keys) {
      const i = node.keys.indexOf(seg);
      next = i === -1 ? undefined : node.items?.[i];
    } else if (node.items) {
      const n = Number(seg);
      next = Number.isInteger(n) ? node.items[n] : undefined;
    }
    if (!next) break;
    node = next;
  }
  return node.at;
}

function nextLine(text: string, i: number): number {
  const eol = text.indexOf('\n', i);
  return eol === -1 ? text.length : eol + 1;
}

/**
 * Returns the child frame for one pointer segment and the offset to report for it: the key's
 * position for a mapping member (the line people look for), the item's own for a sequence item.
 */
function child(frame: Frame, seg: string): { value: Frame; at: number } | undefined {
  // js-yaml reports some nodes twice (an outer frame wrapping the same flow collection).
  while (frame.children.length === 1 && frame.children[0].result === frame.result) frame = frame.children[0];
  const kids = frame.children;
  if (frame.kind === 'mapping') {
    for (let i = kids.length - 2; i >= 0; i -= 2) {
      if (String(kids[i].result) === seg && kids[i + 1]) return { value: kids[i + 1], at: kids[i].start };
    }
    return undefined;
  }
  if (frame.kind === 'sequence') {
    const n = Number(seg);
    const item = Number.isInteger(n) ? kids[n] : undefined;
    return item ? { value: item, at: item.start } : undefined;
  }
  return undefined;
}
