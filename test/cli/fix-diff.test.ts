import { expect } from 'chai';
import { unifiedDiff } from '../../cli/diff.ts';

describe('unifiedDiff', () => {
  // Expected outputs are GNU `diff -u` (3 lines of context) with the file header replaced.
  const cases: [string, string, string][] = [
    ["a\nb\nc\n", "a\nB\nc\n", "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"],
    ["a\nb\nc\n", "x\na\nb\nc\n", "--- a/f\n+++ b/f\n@@ -1,3 +1,4 @@\n+x\n a\n b\n c\n"],
    ["a\nb\nc\n", "a\nb\nc\nd\n", "--- a/f\n+++ b/f\n@@ -1,3 +1,4 @@\n a\n b\n c\n+d\n"],
    ["a\nb\nc", "a\nb\nd", "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n b\n-c\n\\ No newline at end of file\n+d\n\\ No newline at end of file\n"],
    ["a\nb\nc\n", "a\nc\n", "--- a/f\n+++ b/f\n@@ -1,3 +1,2 @@\n a\n-b\n c\n"],
    ["l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\nl13\nl14\nl15\nl16\nl17\nl18\nl19\nl20\nl21\nl22\nl23\nl24\nl25\nl26\nl27\nl28\nl29\n", "l1\nl2\nL3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\nl13\nl14\nl15\nl16\nl17\nl18\nl19\nl20\nl21\nl22\nl23\nl24\nL25\nl26\nl27\nl28\nl29\n", "--- a/f\n+++ b/f\n@@ -1,6 +1,6 @@\n l1\n l2\n-l3\n+L3\n l4\n l5\n l6\n@@ -22,7 +22,7 @@\n l22\n l23\n l24\n-l25\n+L25\n l26\n l27\n l28\n"],
    ["l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\nl13\nl14\nl15\nl16\nl17\nl18\nl19\n", "l1\nl2\nl3\nl4\nL5\nl6\nl7\nl8\nl9\nl10\nl11\nL12\nl13\nl14\nl15\nl16\nl17\nl18\nl19\n", "--- a/f\n+++ b/f\n@@ -2,14 +2,14 @@\n l2\n l3\n l4\n-l5\n+L5\n l6\n l7\n l8\n l9\n l10\n l11\n-l12\n+L12\n l13\n l14\n l15\n"],
    ["a\n", "", "--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-a\n"],
  ];
  cases.forEach(([before, after, expected], i) => {
    it(`matches diff -u, case ${i}`, () => {
      expect(unifiedDiff(before, after, 'f')).to.equal(expected);
    });
  });

  it('is empty for equal texts and keeps absolute names without a/ b/', () => {
    expect(unifiedDiff('a\n', 'a\n', 'f')).to.equal('');
    expect(unifiedDiff('a\n', 'b\n', '/abs/f.yaml').split('\n').slice(0, 2)).to.deep.equal(['--- /abs/f.yaml', '+++ /abs/f.yaml']);
  });
});
