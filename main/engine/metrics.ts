/**
 * Classification metrics in plain JS (no tensors), exact and NaN-free: an undefined ratio (no support,
 * no predictions) is 0.
 */
import type { PerClassMetrics, ReliabilityBin } from './types.js';

/** Index of the largest value (the first on ties). */
export function argMax(row: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}

/** counts[true][predicted]. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, numClasses: number): number[][] {
  if (labels.length !== predicted.length) throw new Error(`confusionMatrix: ${labels.length} labels but ${predicted.length} predictions`);
  const cm = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i];
    const p = predicted[i];
    if (!(t >= 0 && t < numClasses && p >= 0 && p < numClasses)) throw new Error(`confusionMatrix: class index out of range at ${i} (${t}, ${p})`);
    cm[t][p] += 1;
  }
  return cm;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

export function accuracy(cm: number[][]): number {
  let correct = 0;
  let total = 0;
  cm.forEach((row, t) => row.forEach((c, p) => ((total += c), t === p && (correct += c))));
  return ratio(correct, total);
}

/** Precision, recall, F1 and support per class (0 where undefined). */
export function perClassMetrics(cm: number[][], classNames: string[]): PerClassMetrics[] {
  return cm.map((row, c) => {
    const tp = row[c];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = cm.reduce((a, r) => a + r[c], 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { className: classNames[c] ?? String(c), precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
}

/** Mean recall over the classes that occur in the labels. */
export function balancedAccuracy(cm: number[][]): number {
  const recalls = perClassMetrics(cm, []).filter((m) => m.support > 0).map((m) => m.recall);
  return ratio(recalls.reduce((a, b) => a + b, 0), recalls.length);
}

/** Mean F1 over the classes that occur in the labels or the predictions (as scikit-learn). */
export function macroF1(cm: number[][]): number {
  const per = perClassMetrics(cm, []);
  const used = per.filter((m, c) => m.support > 0 || cm.some((row) => row[c] > 0));
  return ratio(used.reduce((a, m) => a + m.f1, 0), used.length);
}

/**
 * Reliability diagram with `bins` equal-width bins of the top-class confidence: bin i holds
 * confidences in (i/bins, (i+1)/bins]; a confidence of exactly 0 goes to bin 0.
 */
export function reliabilityBins(confidence: ArrayLike<number>, correct: ArrayLike<boolean>, bins = 10): ReliabilityBin[] {
  if (confidence.length !== correct.length) throw new Error('reliabilityBins: confidence and correct differ in length');
  const out: ReliabilityBin[] = Array.from({ length: bins }, (_, i) => ({ lower: i / bins, upper: (i + 1) / bins, count: 0, meanConfidence: 0, accuracy: 0 }));
  for (let k = 0; k < confidence.length; k++) {
    const c = confidence[k];
    let i = 0;
    while (i < bins - 1 && c > out[i].upper) i++;
    out[i].count += 1;
    out[i].meanConfidence += c;
    out[i].accuracy += correct[k] ? 1 : 0;
  }
  for (const b of out) {
    b.meanConfidence = ratio(b.meanConfidence, b.count);
    b.accuracy = ratio(b.accuracy, b.count);
  }
  return out;
}

/** ECE = Σ_bins (count/n)·|accuracy − meanConfidence|. */
export function expectedCalibrationError(bins: ReliabilityBin[]): number {
  const n = bins.reduce((a, b) => a + b.count, 0);
  return ratio(bins.reduce((a, b) => a + b.count * Math.abs(b.accuracy - b.meanConfidence), 0), n);
}

export interface ClassificationSummary {
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  perClass: PerClassMetrics[];
  confusion: number[][];
  ece: number;
  reliability: ReliabilityBin[];
}

/** Every summary metric from labels, predictions and the predicted class's probability. */
export function summarise(labels: ArrayLike<number>, predicted: ArrayLike<number>, confidence: ArrayLike<number>, classNames: string[]): ClassificationSummary {
  const confusion = confusionMatrix(labels, predicted, classNames.length);
  const correct = Array.from(labels, (t, i) => t === predicted[i]);
  const reliability = reliabilityBins(confidence, correct);
  return {
    accuracy: accuracy(confusion),
    balancedAccuracy: balancedAccuracy(confusion),
    macroF1: macroF1(confusion),
    perClass: perClassMetrics(confusion, classNames),
    confusion,
    ece: expectedCalibrationError(reliability),
    reliability,
  };
}
