/**
 * Finds where one JSON Pointer's node is in a block-style YAML document without parsing it: it
 * follows the pointer's keys and indexes down the text, skipping every subtree off the path by its
 * indentation. A 1000-endpoint slice (300 kB) keeps no positions from its parse (their memory
 * outweighs their use), and reading it again to place a finding at `/metadata/uid` cost as much as
 * the parse itself; this touches only the lines on the way.
 *
 * It answers with the offset the fast reader's positions give (a mapping member's key, a sequence
 * item's content), or undefined when the text on the way is anything but plain block mappings and
 * sequences (flow collections, quoted scalars over several lines, anchors, tags, tabs, odd
 * indentation...), and the Locator then reads the document as before. Tests compare it with the
 * fast reader's positions for every pointer of generated, random and real documents.
 */
import type yaml from 'js-yaml';
import { parsePointer } from '../policies/pointer.ts';
import { plainKeyEnd, resolvePlain } from './fast-yaml.ts';

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;

/** Returns the offset of the node at `ptr` (or of its nearest present parent), or undefined to read the document instead. */
export function walkToPointer(text: string, ptr: string, schema: yaml.Schema): number | undefined {
  return new PointerWalker(text, schema).find(ptr);
}

/** What a scan of one collection has found so far, and where it goes on. */
interface Scan {
  keys: Map<string, Step>;
  items: Step[];
  /** The next member's key or item's dash; -1 when the collection ended; undefined when the scan gave up. */
  resume: number | undefined;
}

/**
 * Walks one document to pointers; what it has read of each collection on the way is kept, so
 * the findings of one document cost one pass over the collections they are in, not one each.
 */
export class PointerWalker {
  private readonly t: string;
  private readonly implicit: yaml.Type[] | undefined;
  private readonly scans = new Map<number, Scan>();

  constructor(text: string, schema: yaml.Schema) {
    this.t = text;
    const implicit = (schema as unknown as { compiledImplicit?: yaml.Type[] }).compiledImplicit;
    this.implicit = implicit && text.indexOf('\t') === -1 && text.indexOf('\r') === -1 ? implicit : undefined;
  }

  /** Returns the offset of the node at `ptr` (or of its nearest present parent), or undefined to read the document instead. */
  find(ptr: string): number | undefined {
    return this.implicit ? this.walk(parsePointer(ptr)) : undefined;
  }

  private scanOf(first: number): Scan {
    let scan = this.scans.get(first);
    if (!scan) this.scans.set(first, (scan = { keys: new Map(), items: [], resume: first }));
    return scan;
  }

  private walk(segments: string[]): number | undefined {
    const t = this.t;
    let line = this.contentLine(0);
    if (line === -1) return undefined;
    let at = line + this.indentOf(line);
    if (t.charCodeAt(at) === 37) return undefined; // a directive
    if (t.startsWith('---', at)) {
      if (at + 3 !== this.eol(at)) return undefined; // content after ---
      line = this.contentLine(this.nextLine(at));
      if (line === -1) return undefined;
      at = line + this.indentOf(line);
    }
    if (this.startsDocument(at)) return undefined;
    // `node` is where the current node's content starts (a block collection's first key or dash).
    const root = this.blockAt(at);
    if (root === undefined) return undefined;
    let node: number | null = root;
    for (const seg of segments) {
      if (node === null) break; // a scalar or an empty value: nothing below it
      const col: number = node - this.lineStart(node);
      const next: Step | null | undefined = this.isDash(node) ? this.item(node, col, seg) : this.member(node, col, seg);
      if (next === undefined) return undefined;
      if (next === null) break; // not there: the nearest present parent
      at = next.at;
      node = next.content;
    }
    return at;
  }

  /** In the sequence whose first dash is at `first` (column `col`), finds item `seg` (as Number() reads it). */
  private item(first: number, col: number, seg: string): Step | null | undefined {
    const want = Number(seg);
    if (!Number.isInteger(want) || want < 0) return null;
    const scan = this.scanOf(first);
    while (scan.items.length <= want && scan.resume !== undefined && scan.resume !== -1) {
      const dash = scan.resume;
      // The item's content: after `- ` on the same line, else on the next, more indented line.
      let c = dash + 1;
      const end = this.eol(dash);
      while (c < end && this.t.charCodeAt(c) === SPACE) c++;
      let content: number | null | undefined;
      if (c < end && this.t.charCodeAt(c) !== HASH) {
        // `- - a` and `- "quoted key": v` are not read here (the reader takes the latter as a mapping).
        content = this.isDash(c) || this.quotedKey(c) ? undefined : this.key(c) ? c : this.scalarAt(c);
      } else {
        const below = this.contentLine(this.nextLine(dash));
        c = below + this.indentOf(below);
        content = below === -1 || this.indentOf(below) <= col ? undefined : this.blockAt(c); // an empty item: not read here
      }
      if (content === undefined) {
        scan.resume = undefined;
        break;
      }
      scan.items.push({ at: c, content });
      const d = this.sibling(dash, col);
      scan.resume = d === undefined ? undefined : d === -1 || !this.isDash(d) ? -1 : d; // not a dash: the sequence ended
    }
    if (want < scan.items.length) return scan.items[want];
    return scan.resume === -1 ? null : undefined;
  }

  /** In the mapping whose first key is at `first` (column `col`), finds key `seg`. */
  private member(first: number, col: number, seg: string): Step | null | undefined {
    const scan = this.scanOf(first);
    const known = scan.keys.get(seg);
    if (known) return known;
    while (scan.resume !== undefined && scan.resume !== -1) {
      const k = scan.resume;
      const key = this.key(k);
      let content: number | null | undefined;
      if (key !== undefined) {
        let v = key.after;
        const end = this.eol(k);
        while (v < end && this.t.charCodeAt(v) === SPACE) v++;
        if (v < end && this.t.charCodeAt(v) !== HASH) content = this.scalarAt(v);
        else {
          // The value is on the lines below: more indented, or a sequence at the key's own column.
          const below = this.contentLine(this.nextLine(k));
          const ind = below === -1 ? -1 : this.indentOf(below);
          const c = below + ind;
          content = below !== -1 && (ind > col || (ind === col && this.isDash(c))) ? this.blockAt(c) : null;
        }
      }
      if (key === undefined || content === undefined) {
        scan.resume = undefined;
        break;
      }
      const step = { at: k, content };
      if (!scan.keys.has(key.key)) scan.keys.set(key.key, step);
      let s = this.sibling(k, col);
      // A sequence at the key's own column is the value of the key before; skip its items.
      while (s !== undefined && s !== -1 && this.isDash(s)) s = this.sibling(s, col);
      scan.resume = s;
      if (key.key === seg) return step;
    }
    return scan.resume === -1 ? null : undefined;
  }

  /**
   * Returns the offset of the next line's content at column `col` after the node starting at
   * `from` (skipping lines more indented), -1 when a less indented line or the end comes first,
   * and undefined at a document marker.
   */
  private sibling(from: number, col: number): number | undefined {
    for (let line = this.contentLine(this.nextLine(from)); line !== -1; line = this.contentLine(this.nextLine(line))) {
      const ind = this.indentOf(line);
      const c = line + ind;
      if (this.startsDocument(c)) return undefined;
      if (ind < col) return -1;
      if (ind === col) return c;
    }
    return -1;
  }

  /** A block collection starting at `c` (its first key or dash); null is never returned; undefined for anything else. */
  private blockAt(c: number): number | undefined {
    return this.isDash(c) || this.key(c) ? c : undefined;
  }

  /**
   * A scalar value on a key's or dash's line at `c`: null (nothing below it) for a plain scalar,
   * a quoted one closed on its line, `{}` or `[]`; undefined for what may run on or needs a parser
   * (flow collections with content, quotes over lines, anchors, aliases, tags, block scalars).
   */
  private scalarAt(c: number): null | undefined {
    const t = this.t;
    const ch = t[c];
    if ((ch === '{' && t[c + 1] === '}') || (ch === '[' && t[c + 1] === ']')) return null;
    if (ch === '"' || ch === "'") return this.closingQuote(c) === -1 ? undefined : null;
    return '{[&*!|>'.includes(ch) ? undefined : null;
  }

  /** Returns the offset of the quote that closes the quoted scalar at `c` on its line, or -1. */
  private closingQuote(c: number): number {
    const t = this.t;
    const q = t[c];
    const end = this.eol(c);
    for (let i = c + 1; i < end; i++) {
      const x = t[i];
      if (q === '"' && x === '\\') i++;
      else if (x === q) {
        if (q === "'" && t[i + 1] === "'") i++;
        else return i;
      }
    }
    return -1;
  }

  /** True when a quoted scalar at `c` is followed by `:` on its line (a quoted key) or does not close there. */
  private quotedKey(c: number): boolean {
    const t = this.t;
    if (t[c] !== '"' && t[c] !== "'") return false;
    const close = this.closingQuote(c);
    if (close === -1) return true;
    const end = this.eol(c);
    let j = close + 1;
    while (j < end && t.charCodeAt(j) === SPACE) j++;
    return t.charCodeAt(j) === COLON;
  }

  /** Reads a plain or single-line quoted key at `c`, with the offset after its `:`; undefined when there is none. */
  private key(c: number): { key: string; after: number } | undefined {
    const t = this.t;
    const end = this.eol(c);
    const ch = t[c];
    if (ch === '"' || ch === "'") return undefined; // quoted keys: left to the reader
    const colon = plainKeyEnd(t, c, end);
    return colon < 0 ? undefined : { key: String(resolvePlain(t.slice(c, colon), this.implicit ?? [])), after: colon + 1 };
  }

  private isDash(at: number): boolean {
    return this.t.charCodeAt(at) === DASH && (at + 1 === this.eol(at) || this.t.charCodeAt(at + 1) === SPACE);
  }

  private startsDocument(c: number): boolean {
    return this.t.startsWith('---', c) || this.t.startsWith('...', c);
  }

  /** The start of the first line at or after `from` that is neither blank nor a comment; -1 at the end. */
  private contentLine(from: number): number {
    const t = this.t;
    for (let s = from; s < t.length; s = this.nextLine(s)) {
      let i = s;
      while (i < t.length && t.charCodeAt(i) === SPACE) i++;
      if (i < t.length && t.charCodeAt(i) !== 10 && t.charCodeAt(i) !== HASH) return s;
    }
    return -1;
  }

  private indentOf(line: number): number {
    let i = line;
    while (this.t.charCodeAt(i) === SPACE) i++;
    return i - line;
  }

  private lineStart(at: number): number {
    return this.t.lastIndexOf('\n', at - 1) + 1;
  }

  private eol(at: number): number {
    const e = this.t.indexOf('\n', at);
    return e === -1 ? this.t.length : e;
  }

  private nextLine(at: number): number {
    const e = this.t.indexOf('\n', at);
    return e === -1 ? this.t.length : e + 1;
  }
}

interface Step {
  /** The offset to report for the node: a member's key, an item's content. */
  at: number;
  /** Where its own content starts when it may have children, null for a scalar or an empty value. */
  content: number | null;
}
