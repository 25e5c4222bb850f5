/**
 * A fast reader for the block-style YAML that nearly every Kubernetes manifest is written in
 * (`kubectl get -o yaml`, Helm output, hand-written files): block mappings and sequences, plain
 * and single-line quoted scalars, `{}` and `[]`, comments. It gives exactly what js-yaml `load`
 * gives for such text (scalars are resolved by the same schema's own implicit types), at several
 * times js-yaml's speed, and it can record where each node is for the Locator. Anything outside
 * that subset (anchors, tags, flow collections with content, block or multi-line scalars, merge
 * keys, tabs, duplicate keys, odd indentation, unusual escapes) makes it give up and return
 * undefined, and the caller uses js-yaml, which reads it (or reports the error) as before.
 * Parsing was most of `validate`'s time; see docs/performance.md.
 */
import { ownString } from '../policies/format.ts';
import type yaml from 'js-yaml';

/**
 * Where a node is: `at` is the offset of its key (mapping member) or content (sequence item,
 * root). A mapping has `keys` with each member's Pos at the same index of `items`; a sequence has
 * only `items`. Arrays rather than Maps: positions are kept for every document, and looked up only
 * for the few with findings.
 */
export interface Pos {
  at: number;
  keys: string[] | undefined;
  items: Pos[] | undefined;
}

/**
 * A document read by `fastLoad`. `walkable` is false when the document has a shape (an empty
 * value) where js-yaml's node listener, the Locator's other path, reports differently; `pos` is
 * set when positions were asked for and `walkable` holds.
 */
export interface FastResult {
  value: unknown;
  pos?: Pos;
  walkable: boolean;
}

const GIVE_UP = new Error('outside the fast subset');
// Manifests nest about 8 levels; a compact mapping in a list item costs one level more.
const MAX_DEPTH = 64;
// js-yaml's own test for characters it refuses; such text goes to js-yaml for its error message.
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
const NOT_SIMPLE = /[\t\r\uFEFF]/;
// First characters of a plain scalar that some implicit type (null, bool, int, float, merge) may claim.
const MAY_RESOLVE: boolean[] = [];
for (const c of '~nNyYtTfFoO0123456789+-.<') MAY_RESOLVE[c.charCodeAt(0)] = true;
// Characters that cannot start a plain scalar here (js-yaml's indicators, and `?`/`:` to be safe).
const INDICATORS = new Set(',[]{}#&*!|>%@`?:\'"');
// Implicit types whose plain spellings starting with a letter are at most 5 characters long
// (null, Null, true, FALSE, yes, off...; numbers start with a digit, a sign or a dot).
const WORDLESS_TAGS = new Set(['tag:yaml.org,2002:null', 'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:merge', 'tag:yaml.org,2002:timestamp']);
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f' };

/** Returns the document `text` read as js-yaml reads it with `schema`, or undefined to use js-yaml. */
export function fastLoad(text: string, schema: yaml.Schema, positions = false): FastResult | undefined {
  const implicit = (schema as unknown as { compiledImplicit?: yaml.Type[] }).compiledImplicit;
  if (!implicit || NOT_SIMPLE.test(text) || NON_PRINTABLE.test(text)) return undefined;
  try {
    return new Reader(text, implicit, positions).document();
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

/**
 * Returns where the plain key that starts at `c` ends: the offset of its `:` (followed by a space
 * or the line's end at `end`); -1 when the line holds no plain key there (an indicator first, or a
 * comment before such a `:`); -2 for a key this subset leaves to js-yaml (`<<`, a space before
 * the `:`, more than 1000 characters). The Locator's walk (cli/locate-walk.ts) reads keys so too.
 */
export function plainKeyEnd(t: string, c: number, end: number): number {
  const ch = t[c];
  if (INDICATORS.has(ch) || ch === '-') return -1;
  for (let i = c + 1; i < end; i++) {
    const x = t.charCodeAt(i);
    if (x === 35 && t.charCodeAt(i - 1) === 32) return -1;
    if (x === 58 && (i + 1 === end || t.charCodeAt(i + 1) === 32)) {
      return (i - c === 2 && t.startsWith('<<', c)) || t.charCodeAt(i - 1) === 32 || i - c > 1000 ? -2 : i;
    }
  }
  return -1;
}

/** Returns a plain scalar resolved by the schema's implicit types, in js-yaml's order. */
export function resolvePlain(raw: string, implicit: readonly yaml.Type[]): unknown {
  if (!MAY_RESOLVE[raw.charCodeAt(0)]) return raw;
  for (const type of implicit) if (type.resolve(raw)) return type.construct(raw);
  return raw;
}

// The key caches of Reader.key, one per schema (its implicit types decide what a key resolves
// to: `on` is true in one and "on" in another): slots by length and first and last characters,
// each holding the last plain key seen there as written (raw) and as resolved (name, a string).
const KEY_SLOTS = 1024;
const KEY_CACHE_MAX = 64;
interface KeyCache {
  raw: (string | undefined)[];
  name: string[];
}
const keyCaches = new WeakMap<readonly yaml.Type[], KeyCache>();

function keyCacheOf(implicit: readonly yaml.Type[]): KeyCache {
  let cache = keyCaches.get(implicit);
  if (!cache) keyCaches.set(implicit, (cache = { raw: new Array<string | undefined>(KEY_SLOTS).fill(undefined), name: new Array<string>(KEY_SLOTS).fill('') }));
  return cache;
}

function keySlot(t: string, c: number, colon: number): number {
  return ((colon - c) * 61 + t.charCodeAt(c) * 31 + t.charCodeAt(colon - 1)) & (KEY_SLOTS - 1);
}

function giveUp(): never {
  throw GIVE_UP;
}

class Reader {
  private readonly t: string;
  private readonly implicit: yaml.Type[];
  private readonly positions: boolean;
  /** The current content line: its start, end (the `\n` or the end) and indentation; eof past the last. */
  private line = 0;
  private end = 0;
  private indent = -1;
  private eof = false;
  /** Children of the container parsed last (positions only). */
  private last: Pos | undefined;
  /** Where the value read last starts: its scalar, or the first content of its nested block. */
  private valueAt = -1;
  private depth = 0;
  private noPositions = false;
  /** True when every implicit type is one of WORDLESS_TAGS (the schemas used here). */
  private readonly wordsAreStrings: boolean;
  /** Where `key` and `quoted` stopped: after the key's `:`, after the closing quote. */
  private next = 0;
  /** The key cache of this schema. */
  private readonly keys: KeyCache;

  constructor(text: string, implicit: yaml.Type[], positions: boolean) {
    this.t = text;
    this.implicit = implicit;
    this.positions = positions;
    this.keys = keyCacheOf(implicit);
    this.wordsAreStrings = implicit.every((type) => WORDLESS_TAGS.has((type as unknown as { tag: string }).tag));
  }

  document(): FastResult {
    this.seek(0);
    const t = this.t;
    if (!this.eof && t.charCodeAt(this.line) === 37) giveUp(); // a %directive
    if (!this.eof && this.indent === 0 && t.startsWith('---', this.line)) {
      if (this.line + 3 !== this.end && t.charCodeAt(this.line + 3) !== 32) giveUp();
      this.blankRest(this.line + 3);
      this.seek(this.end + 1);
    }
    if (this.eof) return { value: null, walkable: true };
    const at = this.line + this.indent;
    if (t.startsWith('---', at) || t.startsWith('...', at)) giveUp();
    const value = this.block(this.indent);
    if (!this.eof) giveUp(); // content left over: another document, or a dedent below the root
    return { value, pos: this.positions && !this.noPositions ? this.posAt(at) : undefined, walkable: !this.noPositions };
  }

  /** Moves to the first line at or after `from` that is neither blank nor a comment. */
  private seek(from: number): void {
    const t = this.t;
    for (let s = from; s < t.length; ) {
      let e = t.indexOf('\n', s);
      if (e === -1) e = t.length;
      let i = s;
      while (i < e && t.charCodeAt(i) === 32) i++;
      if (i < e && t.charCodeAt(i) !== 35) {
        this.line = s;
        this.end = e;
        this.indent = i - s;
        return;
      }
      s = e + 1;
    }
    this.eof = true;
    this.indent = -1;
  }

  private isDash(at: number): boolean {
    return this.t.charCodeAt(at) === 45 && (at + 1 === this.end || this.t.charCodeAt(at + 1) === 32);
  }

  /** The Pos of a node at `at` whose children are those of the container read last, if any. */
  private posAt(at: number): Pos {
    const last = this.last;
    return { at, keys: last?.keys, items: last?.items };
  }

  /** Reads the block mapping or sequence whose first line is the current line. */
  private block(indent: number): unknown {
    const at = this.line + indent;
    // Deep nesting is left to js-yaml and the callers' limits; this reader recurses per level.
    if (++this.depth > MAX_DEPTH) giveUp();
    const value = this.isDash(at) ? this.sequence(indent) : this.mapping(indent, at);
    this.depth--;
    return value;
  }

  private mapping(indent: number, keyAt: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const keys: string[] | undefined = this.positions ? [] : undefined;
    const members: Pos[] = [];
    for (;;) {
      const key = this.key(keyAt) ?? giveUp();
      if (key === '__proto__' || Object.hasOwn(obj, key)) giveUp(); // js-yaml: duplicated mapping key
      obj[key] = this.value(this.next, indent, true);
      if (keys) (keys.push(key), members.push(this.posAt(keyAt)));
      if (this.eof || this.indent < indent) break;
      if (this.indent > indent) giveUp();
      keyAt = this.line + indent;
      if (this.isDash(keyAt)) giveUp();
    }
    this.last = keys && { at: -1, keys, items: members };
    return obj;
  }

  private sequence(indent: number): unknown[] {
    const list: unknown[] = [];
    const items: Pos[] | undefined = this.positions ? [] : undefined;
    const t = this.t;
    while (!this.eof && this.indent === indent && this.isDash(this.line + indent)) {
      let c = this.line + indent + 1;
      while (c < this.end && t.charCodeAt(c) === 32) c++;
      if (c < this.end && this.isDash(c)) giveUp(); // `- - a`
      if (c < this.end && this.key(c) !== undefined) {
        list.push(this.mapping(c - this.line, c)); // `- key: value`, more keys below at its column
        this.valueAt = c;
      } else {
        list.push(this.value(this.line + indent + 1, indent, false));
      }
      items?.push(this.posAt(this.valueAt));
      if (!this.eof && this.indent > indent) giveUp();
    }
    this.last = items && { at: -1, keys: undefined, items };
    return list;
  }

  /** Reads the value after a key's `:` or an item's `-` at `from`; leaves the next content line current. */
  private value(from: number, ownerIndent: number, sameIndentList: boolean): unknown {
    const t = this.t;
    let v = from;
    while (v < this.end && t.charCodeAt(v) === 32) v++;
    this.last = undefined;
    if (v === this.end || t.charCodeAt(v) === 35) {
      this.seek(this.end + 1);
      const at = this.line + this.indent;
      let nested: unknown = null;
      if (!this.eof && this.indent > ownerIndent) nested = this.block(this.indent);
      else if (!this.eof && sameIndentList && this.indent === ownerIndent && this.isDash(at)) nested = this.sequence(ownerIndent);
      // An empty value. In a list js-yaml lets a following `-` of lesser indentation continue the
      // inner list, so those go to js-yaml; and it reports no node for one, so no positions either.
      else if (!sameIndentList) giveUp();
      else this.noPositions = true;
      this.valueAt = at;
      return nested;
    }
    this.valueAt = v;
    const value = this.scalar(v);
    this.seek(this.end + 1);
    if (!this.eof && this.indent > ownerIndent) giveUp(); // a multi-line scalar
    return value;
  }

  /**
   * Reads a key at `c` followed by `:` and a space or the end of the line, leaving in `next` the
   * offset after the `:`; undefined when there is none. (A field rather than a returned pair: this
   * runs for every key of every document.)
   */
  private key(c: number): string | undefined {
    const t = this.t;
    const ch = t[c];
    if (ch === '"' || ch === "'") {
      const value = this.quoted(c);
      const q = this.next;
      if (t.charCodeAt(q) !== 58) return undefined;
      if (q + 1 !== this.end && t.charCodeAt(q + 1) !== 32) giveUp();
      this.next = q + 1;
      return value;
    }
    const colon = plainKeyEnd(t, c, this.end);
    if (colon === -1) return undefined;
    if (colon === -2) giveUp();
    this.next = colon + 1;
    // Nearly every key is one that documents repeat (apiVersion, metadata, addresses, label
    // keys...): the one cached for its slot is compared in place, which spares a new string and
    // V8's lookup of it in its table of property names at the store.
    const cache = this.keys;
    const slot = keySlot(t, c, colon);
    const known = cache.raw[slot];
    if (known !== undefined && known.length === colon - c && t.startsWith(known, c)) return cache.name[slot];
    const raw = t.slice(c, colon);
    const name = String(this.resolve(raw));
    if (raw.length <= KEY_CACHE_MAX) {
      // Both copied out of the document's text, which they would otherwise keep alive; the name
      // as V8's own property-name string (what Object.keys gives), so stores find it at once.
      cache.raw[slot] = ownString(raw);
      cache.name[slot] = Object.keys({ [name]: 0 })[0];
    }
    return name;
  }

  private scalar(v: number): unknown {
    const t = this.t;
    const ch = t[v];
    if (ch === '"' || ch === "'") {
      const value = this.quoted(v);
      this.blankRest(this.next);
      return ownString(value);
    }
    if ((ch === '{' && t[v + 1] === '}') || (ch === '[' && t[v + 1] === ']')) {
      this.blankRest(v + 2);
      this.last = this.positions ? { at: -1, keys: ch === '{' ? [] : undefined, items: [] } : undefined;
      return ch === '{' ? {} : [];
    }
    if (INDICATORS.has(ch) || (ch === '-' && (v + 1 === this.end || t.charCodeAt(v + 1) === 32))) giveUp();
    let e = v;
    for (; e < this.end; e++) {
      const x = t.charCodeAt(e);
      if (x === 35 && t.charCodeAt(e - 1) === 32) break;
      if (x === 58 && (e + 1 === this.end || t.charCodeAt(e + 1) === 32)) giveUp(); // `a: b: c`
    }
    while (t.charCodeAt(e - 1) === 32) e--;
    const raw = t.slice(v, e);
    const value = this.resolve(raw);
    return value === raw ? ownString(raw) : value;
  }

  /** Resolves a plain scalar with the schema's implicit types, in js-yaml's order. */
  private resolve(raw: string): unknown {
    const c = raw.charCodeAt(0);
    // A letter then more than 4 characters: no null, boolean (yes, false...), number or merge key
    // is spelled so; keys such as name, namespace, nodeName and terminating skip the types.
    if (raw.length > 5 && this.wordsAreStrings && ((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return raw;
    return resolvePlain(raw, this.implicit);
  }

  /** Reads a quoted scalar that closes on its own line, leaving in `next` the offset after the closing quote. */
  private quoted(c: number): string {
    const t = this.t;
    const q = t.charCodeAt(c);
    let out = '';
    let seg = c + 1;
    for (let i = c + 1; i < this.end; i++) {
      const x = t.charCodeAt(i);
      if (q === 39 && x === 39) {
        out += t.slice(seg, i);
        if (t.charCodeAt(i + 1) !== 39) {
          this.next = i + 1;
          return out;
        }
        seg = ++i; // '' is one quote
      } else if (q === 34 && x === 34) {
        this.next = i + 1;
        return out + t.slice(seg, i);
      } else if (q === 34 && x === 92) {
        out += t.slice(seg, i) + (ESCAPES[t[i + 1]] ?? giveUp());
        seg = ++i + 1;
      }
    }
    return giveUp(); // continues on the next line
  }

  /** Gives up unless only spaces and a comment follow `from` on the current line. */
  private blankRest(from: number): void {
    let i = from;
    while (i < this.end && this.t.charCodeAt(i) === 32) i++;
    if (i < this.end && !(this.t.charCodeAt(i) === 35 && i > from)) giveUp();
  }
}
