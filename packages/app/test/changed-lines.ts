/**
 * How many lines differ between two texts, as a reader of `diff` counts
 * them: a run of removed and added lines between two common lines is
 * max(removed, added) changed lines, so a line edited in place counts once.
 */
export function changedLines(a: string, b: string): number {
  const x = a.split('\n');
  const y = b.split('\n');
  const width = y.length + 1;
  // common[i * width + j]: the longest common subsequence of x[i..] and y[j..].
  const common = new Uint32Array((x.length + 1) * width);
  const at = (i: number, j: number) => common[i * width + j] ?? 0;
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      common[i * width + j] =
        x[i] === y[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  let changed = 0;
  let removed = 0;
  let added = 0;
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      changed += Math.max(removed, added);
      removed = 0;
      added = 0;
      i++;
      j++;
    } else if (j < y.length && (i === x.length || at(i, j + 1) >= at(i + 1, j))) {
      added++;
      j++;
    } else {
      removed++;
      i++;
    }
  }
  return changed + Math.max(removed, added);
}
