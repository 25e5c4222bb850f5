/**
 * A unified diff of two texts (`diff -u` format, 3 lines of context), for `--fix-dry-run`. Lines
 * are compared with Myers' O(ND) algorithm after trimming the common head and tail, so a few
 * changes in a large file cost little.
 */

const CONTEXT = 3;

type Edit = { kind: ' ' | '-' | '+'; line: string };

/** Returns the unified diff that turns `before` into `after`, headed with `name`; '' when equal. */
export function unifiedDiff(before: string, after: string, name: string): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const edits = diffLines(a, b);
  // git's a/ and b/ prefixes for relative names; absolute names stand as they are.
  const [from, to] = name.startsWith('/') ? [name, name] : [`a/${name}`, `b/${name}`];
  let out = `--- ${from}\n+++ ${to}\n`;
  for (const hunk of hunks(edits)) out += hunk;
  return out;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += '\n\\ No newline at end of file';
  return lines;
}

/** Returns the edit script from `a` to `b`, line by line. */
function diffLines(a: string[], b: string[]): Edit[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  return [
    ...a.slice(0, head).map((line): Edit => ({ kind: ' ', line })),
    ...myers(midA, midB),
    ...a.slice(a.length - tail).map((line): Edit => ({ kind: ' ', line })),
  ];
}

function myers(a: string[], b: string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, max);
    }
  }
  return [];
}

function backtrack(trace: Int32Array[], a: string[], b: string[], max: number): Edit[] {
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && v[max + k - 1] < v[max + k + 1]) ? k + 1 : k - 1;
    const prevX = v[max + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ kind: ' ', line: a[--x] });
      y--;
    }
    if (d > 0) {
      if (x === prevX) edits.push({ kind: '+', line: b[--y] });
      else edits.push({ kind: '-', line: a[--x] });
    }
  }
  return edits.reverse();
}

function* hunks(edits: Edit[]): Generator<string> {
  let i = 0;
  let lineA = 1;
  let lineB = 1;
  while (i < edits.length) {
    if (edits[i].kind === ' ') {
      i++;
      lineA++;
      lineB++;
      continue;
    }
    // A hunk: up to 3 lines of context before, changes joined while gaps stay within 2 x 3 lines.
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    let quiet = 0;
    for (let j = i; j < edits.length && quiet <= 2 * CONTEXT; j++) {
      if (edits[j].kind === ' ') quiet++;
      else {
        quiet = 0;
        end = j;
      }
    }
    const stop = Math.min(edits.length, end + 1 + CONTEXT);
    const slice = edits.slice(start, stop);
    const fromA = lineA - (i - start);
    const fromB = lineB - (i - start);
    const countA = slice.filter((e) => e.kind !== '+').length;
    const countB = slice.filter((e) => e.kind !== '-').length;
    yield `@@ -${range(fromA, countA)} +${range(fromB, countB)} @@\n${slice.map((e) => e.kind + e.line + '\n').join('')}`;
    for (let j = i; j < stop; j++) {
      if (edits[j].kind !== '+') lineA++;
      if (edits[j].kind !== '-') lineB++;
    }
    i = stop;
  }
}

function range(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}
