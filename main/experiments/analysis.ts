/**
 * What lies behind an experiment's table, per method over its seeds: the pooled test confusion
 * matrix, the mean recall of each class, the most frequent confusions, and how AURA-KD's per-chip
 * offline-teacher weight w_off moved epoch by epoch.
 */
export interface Confusion {
  trueClass: string;
  predictedClass: string;
  count: number;
}

export interface WOffPoint {
  epoch: number;
  /** Mean over seeds of the epoch's mean w_off. */
  mean: number;
  /** Mean over seeds of the epoch's w_off spread (standard deviation over chips). */
  std: number;
  seeds: number;
}

export interface MethodAnalysis {
  method: string;
  /** Seeds pooled. */
  seeds: number;
  /** Sum of the seeds' test confusion matrices (rows: true class, columns: predicted). */
  confusion: number[][];
  /** Mean over seeds of each class's recall (NaN-free: classes without test chips get 0). */
  recall: number[];
  /** Off-diagonal cells of `confusion`, most frequent first (at most 5). */
  topConfusions: Confusion[];
  /** Per student epoch (AURA-KD only; [] for the other methods). */
  wOff: WOffPoint[];
}

export interface SeedEvaluation {
  confusion: number[][];
}

export interface SeedCurve {
  epoch: number;
  wOff: { mean: number; std: number };
}

export function analyseMethod(method: string, classes: readonly string[], evaluations: readonly SeedEvaluation[], curves: readonly (readonly SeedCurve[])[]): MethodAnalysis {
  const k = classes.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const recall = new Array<number>(k).fill(0);
  for (const e of evaluations) {
    for (let t = 0; t < k; t++) {
      const row = e.confusion[t] ?? [];
      const total = row.reduce((a, b) => a + b, 0);
      for (let p = 0; p < k; p++) confusion[t][p] += row[p] ?? 0;
      recall[t] += total > 0 ? (row[t] ?? 0) / total / evaluations.length : 0;
    }
  }
  const topConfusions: Confusion[] = [];
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) if (t !== p && confusion[t][p] > 0) topConfusions.push({ trueClass: classes[t], predictedClass: classes[p], count: confusion[t][p] });
  }
  topConfusions.sort((a, b) => b.count - a.count || a.trueClass.localeCompare(b.trueClass));

  const byEpoch = new Map<number, { mean: number; std: number; seeds: number }>();
  for (const curve of curves) {
    for (const c of curve) {
      const acc = byEpoch.get(c.epoch) ?? { mean: 0, std: 0, seeds: 0 };
      acc.mean += c.wOff.mean;
      acc.std += c.wOff.std;
      acc.seeds += 1;
      byEpoch.set(c.epoch, acc);
    }
  }
  const wOff = [...byEpoch.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([epoch, a]) => ({ epoch, mean: a.mean / a.seeds, std: a.std / a.seeds, seeds: a.seeds }));
  return { method, seeds: evaluations.length, confusion, recall, topConfusions: topConfusions.slice(0, 5), wOff };
}
