/**
 * Run-history query benchmark: `npx tsx bench/store-bench.ts [--reps N]`.
 * Builds, in a temp file, a history of 1,000 runs (15 student epochs each, 5 teacher epochs on KD/AURA-KD
 * runs, tags, a test evaluation each) over a 100,000-chip dataset, one of whose evaluations holds
 * 100,000 per-chip predictions; then times each main UI query (median of N repetitions after one
 * warm-up) and prints JSON {query: ms} on stdout. Build timings go to stderr. Target: each < 50 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SampleRecord, Split } from '../main/data/types.js';
import { createRng, type Rng } from '../main/data/random.js';
import { DEFAULT_TRAIN_CONFIG, METHODS, type Method } from '../main/engine/config.js';
import type { ChipPrediction, EpochMetrics, EvaluationResult } from '../main/engine/types.js';
import { openHistory, type History } from '../main/store/db.js';

const RUNS = 1000;
const EPOCHS = 15;
const CHIPS = 100_000;
const CLASSES = Array.from({ length: 10 }, (_, i) => `class${i}`);
const TAGS = ['baseline', 'paper', 'sweep-tau', 'best', 'ship', 'retry'];

function argReps(): number {
  const i = process.argv.indexOf('--reps');
  const n = i >= 0 ? Number(process.argv[i + 1]) : 9;
  if (!Number.isInteger(n) || n < 1) throw new Error('--reps must be a positive integer');
  return n;
}

function probs(rng: Rng, top: number): number[] {
  const raw = CLASSES.map(() => rng() + 1e-3);
  raw[top] += CLASSES.length * rng() * 2;
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((v) => v / sum);
}

const entropy = (p: number[]) => -p.reduce((s, v) => s + v * Math.log(v), 0) / Math.log(p.length);
const argmax = (p: number[]) => p.indexOf(Math.max(...p));

function samples(rng: Rng): SampleRecord[] {
  return Array.from({ length: CHIPS }, (_, i) => {
    const label = i % CLASSES.length;
    const split: Split = i % 10 < 7 ? 'train' : i % 10 < 8 ? 'val' : 'test';
    const side = 128 + label * 6 + Math.floor(rng() * 3);
    return {
      key: `${CLASSES[label]}/chip${i}.tif`, path: `/data/big/${CLASSES[label]}/chip${i}.tif`, className: CLASSES[label],
      label, split, width: side, height: side, channels: 1, format: 'tiffFloat',
    };
  });
}

function epochs(rng: Rng, phase: 'teacher' | 'student', n: number): EpochMetrics[] {
  return Array.from({ length: n }, (_, e) => ({
    phase, epoch: e + 1,
    loss: { total: 2 / (e + 1) + rng() * 0.1, ce: 1 / (e + 1), off: rng(), on: rng() * 0.01 },
    wOff: { mean: 0.97 - e * 0.03, std: 0.05 + rng() * 0.05 },
    trainAccuracy: Math.min(1, 0.3 + e * 0.05), valAccuracy: Math.min(1, 0.25 + e * 0.05), valLoss: 1 / (e + 1),
    chipsPerSec: 200 + rng() * 50, seconds: 30 + rng() * 5, learningRate: 1e-3,
  }));
}

function evaluationOf(chips: ChipPrediction[], rng: Rng): EvaluationResult {
  const confusion = CLASSES.map(() => CLASSES.map(() => 0));
  for (const c of chips) confusion[c.label][c.predicted]++;
  const accuracy = 0.6 + rng() * 0.4;
  return {
    classes: CLASSES, n: chips.length || 2000, accuracy, balancedAccuracy: accuracy - 0.02, macroF1: accuracy - 0.03,
    perClass: CLASSES.map((className) => ({ className, precision: accuracy, recall: accuracy, f1: accuracy, support: 200 })),
    confusion, ece: rng() * 0.1,
    reliability: Array.from({ length: 10 }, (_, b) => ({ lower: b / 10, upper: (b + 1) / 10, count: 200, meanConfidence: b / 10 + 0.05, accuracy })),
    chips,
  };
}

function bigChips(rng: Rng, all: SampleRecord[]): ChipPrediction[] {
  return all.map((s) => {
    const predicted = rng() < 0.8 ? s.label : Math.floor(rng() * CLASSES.length);
    const student = probs(rng, predicted);
    const offline = probs(rng, rng() < 0.9 ? s.label : predicted);
    const online = probs(rng, predicted);
    const wOff = rng();
    return {
      key: s.key, label: s.label, predicted: argmax(student), correct: argmax(student) === s.label, student, offline, online,
      entropyStudent: entropy(student), entropyOffline: entropy(offline), entropyOnline: entropy(online), wOff, wOn: 1 - wOff,
      offlineCorrect: argmax(offline) === s.label, onlineCorrect: argmax(online) === s.label,
    };
  });
}

function build(h: History, rng: Rng): { runIds: number[]; bigEvaluation: number; datasetId: number; sampleKey: string } {
  const time = (label: string, fn: () => void) => {
    const t = performance.now();
    fn();
    process.stderr.write(`${label}: ${(performance.now() - t).toFixed(0)} ms\n`);
  };
  const all = samples(rng);
  let datasetId = 0;
  time(`dataset of ${CHIPS} samples`, () => {
    datasetId = h.datasets.create({
      name: 'bench', preprocess: DEFAULT_TRAIN_CONFIG.preprocess,
      report: { root: '/data/big', layout: 'class', classes: CLASSES, samples: all, skipped: [], contentHash: 'f'.repeat(64) },
    }).id;
  });
  const runIds: number[] = [];
  time(`${RUNS} runs with epochs, tags, evaluations`, () => {
    h.transaction(() => {
      for (let i = 0; i < RUNS; i++) {
        const method: Method = METHODS[i % METHODS.length];
        const tags = TAGS.filter(() => rng() < 0.3);
        const run = h.runs.create({
          datasetId, name: `${method} run ${i}`, config: { ...DEFAULT_TRAIN_CONFIG, method, seed: i }, tags,
          note: i % 10 === 0 ? `note about shadow artefacts ${i}` : '', sweepId: i % 50 === 0 ? `sweep-${i / 50}` : null,
        });
        h.runs.start(run.id, { backend: 'wasm' });
        if (method === 'kd' || method === 'aurakd') h.metrics.recordMany(run.id, epochs(rng, 'teacher', 5));
        h.metrics.recordMany(run.id, epochs(rng, 'student', EPOCHS));
        if (i % 20 === 19) h.runs.fail(run.id, 'out of memory');
        else h.runs.finish(run.id, { bestEpoch: EPOCHS, valAccuracy: 0.5 + rng() * 0.5, durationSec: 100 + rng() * 900 });
        if (i % 20 !== 19) h.evaluations.add(run.id, 'test', evaluationOf([], rng));
        runIds.push(run.id);
      }
    });
  });
  let bigEvaluation = 0;
  const chips = bigChips(rng, all);
  time(`evaluation with ${CHIPS} predictions`, () => {
    bigEvaluation = h.evaluations.add(runIds[0], 'test', evaluationOf(chips, rng)).id;
  });
  return { runIds, bigEvaluation, datasetId, sampleKey: all[12_345].key };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function main(): void {
  const reps = argReps();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-store-bench-'));
  const h = openHistory(path.join(dir, 'history.sqlite'));
  try {
    const { runIds, bigEvaluation: ev, datasetId, sampleKey } = build(h, createRng(7));
    const queries: Record<string, () => unknown> = {
      'runs.list (newest, page 1)': () => h.runs.list({ limit: 50 }),
      'runs.list (dataset+method, by testAccuracy)': () => h.runs.list({ datasetId, method: 'aurakd', sortBy: 'testAccuracy', limit: 50 }),
      'runs.list (tag, by macroF1)': () => h.runs.list({ tag: 'paper', sortBy: 'macroF1', limit: 50 }),
      'runs.list (search name/note)': () => h.runs.list({ search: 'shadow', limit: 50 }),
      'runs.list (status, by duration, offset 900)': () => h.runs.list({ status: ['done', 'failed'], sortBy: 'durationSec', offset: 900, limit: 50 }),
      'runs.get': () => h.runs.get(runIds[500]),
      'metrics.curves': () => h.metrics.curves(runIds[501]),
      'compareRuns (4 runs)': () => h.compareRuns([runIds[0], runIds[1], runIds[2], runIds[3]]),
      'evaluations.latest': () => h.evaluations.latest(runIds[0], 'test'),
      'predictions.cell (page 1)': () => h.predictions.cell(ev, 3, 3, { limit: 50 }),
      'predictions.cell (offset 5000)': () => h.predictions.cell(ev, 3, 3, { limit: 50, offset: 5000 }),
      'predictions.ranked entropy': () => h.predictions.ranked(ev, 'entropy', { limit: 50 }),
      'predictions.ranked disagreement': () => h.predictions.ranked(ev, 'disagreement', { limit: 50 }),
      'predictions.ranked wOff asc': () => h.predictions.ranked(ev, 'wOff', { limit: 50, order: 'asc' }),
      'predictions.ranked wrongConfident': () => h.predictions.ranked(ev, 'wrongConfident', { limit: 50 }),
      'predictions.inspect': () => h.predictions.inspect(ev, sampleKey),
      'datasets.stats (100k samples)': () => h.datasets.stats(datasetId),
      'datasets.samples (class+split, offset 1000)': () => h.datasets.samples(datasetId, { label: 4, split: 'train', offset: 1000, limit: 50 }),
      'annotations.allTags': () => h.annotations.allTags(),
    };
    const out: Record<string, number> = {};
    for (const [name, fn] of Object.entries(queries)) {
      fn();
      const times: number[] = [];
      for (let r = 0; r < reps; r++) {
        const t = performance.now();
        fn();
        times.push(performance.now() - t);
      }
      out[name] = Number(median(times).toFixed(3));
    }
    const slow = Object.entries(out).filter(([, ms]) => ms >= 50);
    if (slow.length) process.stderr.write(`over 50 ms: ${slow.map(([k]) => k).join(', ')}\n`);
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
