/** Reading a confusion matrix: the most frequent mistakes. */

export interface ConfusedPair {
  trueLabel: number;
  predictedLabel: number;
  count: number;
  /** Share of the true class's chips that went to this wrong class. */
  rate: number;
}

/** Off-diagonal cells with at least one chip, most chips first (ties: higher rate, then row order). */
export function confusedPairs(confusion: number[][], limit = 6): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  confusion.forEach((row, t) => {
    const sum = row.reduce((a, b) => a + b, 0);
    row.forEach((count, p) => {
      if (t !== p && count > 0) pairs.push({ trueLabel: t, predictedLabel: p, count, rate: sum > 0 ? count / sum : 0 });
    });
  });
  pairs.sort((a, b) => b.count - a.count || b.rate - a.rate || a.trueLabel - b.trueLabel || a.predictedLabel - b.predictedLabel);
  return pairs.slice(0, limit);
}
