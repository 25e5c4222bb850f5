/**
 * Random YAML documents for the property tests of the fast reader (test/cli/fast-yaml.test.ts)
 * and the Locator's walk (test/cli/locate-walk.test.ts): a tree of maps, lists and scalar texts,
 * and its block-style rendering in the layouts manifests come in.
 */

/** A scalar's text, a mapping (keys as written) or a list. */
export type Tree = string | { map: [string, Tree][] } | { seq: Tree[] };

/**
 * Returns `t` as block YAML at `indent`, nesting by `step` spaces. `flatLists` puts a list at its
 * key's column (kubectl's layout); `compact` writes a list item's mapping as `- key: value` with
 * the other keys under the first; `comments` adds a comment after nesting keys and a comment
 * line and a blank line before nested blocks.
 */
export function renderTree(t: Tree, indent: number, step: number, flatLists: boolean, compact: boolean, comments = false): string {
  const pad = ' '.repeat(indent);
  if (typeof t === 'string') return `${pad}${t}\n`;
  const note = comments ? `${pad}# note\n\n` : '';
  if ('map' in t) {
    return t.map
      .map(([k, v]) => {
        if (typeof v === 'string') return `${pad}${k}: ${v}\n`;
        const inner = 'seq' in v && flatLists ? indent : indent + step;
        return `${pad}${k}:${comments ? ' # c' : ''}\n${note}${renderTree(v, inner, step, flatLists, compact, comments)}`;
      })
      .join('');
  }
  return t.seq
    .map((v) => {
      if (typeof v === 'string') return `${pad}- ${v}\n`;
      if (compact && 'map' in v) return `${pad}- ${renderTree(v, indent + 2, step, flatLists, compact).slice(indent + 2)}`;
      return `${pad}-\n${renderTree(v, indent + step, step, flatLists, compact, comments)}`;
    })
    .join('');
}
