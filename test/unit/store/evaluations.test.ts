import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChipPrediction } from '../../../main/engine/types.js';
import { openHistory, type History } from '../../../main/store/db.js';
import type { ChipRanking, Page, PredictionRow, RankQuery } from '../../../main/store/types.js';
import { chip, evaluation, importReport, steppingClock, tempDir, trainConfig } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let h: History;
let runId: number;
beforeEach(() => {
  tmp = tempDir();
  h = openHistory(path.join(tmp.dir, 'history.sqlite'), { now: steppingClock() });
  const datasetId = h.datasets.create({ name: 'MSTAR', report: importReport(), preprocess: trainConfig().preprocess }).id;
  runId = h.runs.create({ datasetId, name: 'r', config: trainConfig() }).id;
});
afterEach(() => {
  h.close();
  tmp.cleanup();
});

const withTeacher = (offline: number[], wOff: number): Partial<ChipPrediction> => ({
  offline,
  entropyOffline: 0.25,
  wOff,
  wOn: 1 - wOff,
  offlineCorrect: true,
});

/** Six chips with known rankings (see the expectations below). c6's key is not in the dataset. */
const CHIPS = [
  chip('BMP2/chip09.jpeg', 0, [0.7, 0.2, 0.1], withTeacher([0.8, 0.1, 0.1], 0.6)),
  chip('T72/chip10.jpeg', 1, [0.6, 0.3, 0.1], { ...withTeacher([0.1, 0.8, 0.1], 0.9), online: [0.5, 0.4, 0.1], entropyOnline: 0.5, onlineCorrect: false }),
  chip('ZSU/chip11.jpeg', 2, [0.1, 0.1, 0.8], withTeacher([0.2, 0.2, 0.6], 0.3)),
  chip('BMP2/chip06.jpeg', 0, [0.2, 0.75, 0.05]),
  chip('T72/chip07.jpeg', 1, [0.34, 0.33, 0.33], withTeacher([0, 1, 0], 0.5)),
  chip('ghost/unknown.png', 2, [0.05, 0.05, 0.9], withTeacher([0.05, 0.05, 0.9], 0.7)),
];
const [c1, c2, c3, c4, c5, c6] = CHIPS.map((c) => c.key);
const keys = (p: Page<PredictionRow>) => p.items.map((r) => r.key);

describe('evaluations', () => {
  it('stores an evaluation, its chips and the run summary in one go', () => {
    const ev = h.evaluations.add(runId, 'test', evaluation(CHIPS, 0.5));
    expect(ev).toEqual({
      id: 1, runId, split: 'test', n: 6, accuracy: 0.5, balancedAccuracy: 0.45, macroF1: 0.4, ece: 0.0625,
      classes: ['BMP2', 'T72', 'ZSU'],
      confusion: [[1, 1, 0], [2, 0, 0], [0, 0, 2]],
      perClass: evaluation(CHIPS).perClass,
      reliability: [{ lower: 0, upper: 1, count: 6, meanConfidence: 0.7, accuracy: 0.5 }],
      createdAt: ev.createdAt,
    });
    expect(h.runs.get(runId)).toMatchObject({ testAccuracy: 0.5, balancedAccuracy: 0.45, macroF1: 0.4, ece: 0.0625 });
    const val = h.evaluations.add(runId, 'val', evaluation(CHIPS.slice(0, 2), 0.25));
    expect(h.runs.get(runId)?.testAccuracy).toBe(0.5);
    expect(h.evaluations.latest(runId, 'val')?.id).toBe(val.id);
    expect(h.evaluations.latest(runId, 'train')).toBeNull();
    expect(h.evaluations.listForRun(runId).map((e) => e.id)).toEqual([val.id, ev.id]);
    expect(h.predictions.list(ev.id).total).toBe(6);
    expect(h.evaluations.delete(val.id)).toBe(true);
    expect(h.evaluations.delete(val.id)).toBe(false);
    expect(() => h.predictions.list(val.id)).toThrow(`evaluation ${val.id} not found`);
  });

  it('refuses malformed results and writes nothing', () => {
    const short = [chip('a', 0, [0.5, 0.5])];
    expect(() => h.evaluations.add(runId, 'test', evaluation(short))).toThrow("chip 'a' has 2 student probabilities, expected 3");
    expect(() => h.evaluations.add(runId, 'test', evaluation([CHIPS[0], CHIPS[0]]))).toThrow(
      `duplicate chip key '${c1}' in evaluation`,
    );
    expect(() => h.evaluations.add(runId, 'test', { ...evaluation(CHIPS), confusion: [[1]] })).toThrow('confusion matrix must be 3×3');
    expect(() => h.evaluations.add(999, 'test', evaluation(CHIPS))).toThrow('run 999 not found');
    expect(() => h.evaluations.add(runId, 'holdout' as never, evaluation(CHIPS))).toThrow("unknown split 'holdout'");
    expect(h.evaluations.listForRun(runId)).toEqual([]);
    expect(h.runs.get(runId)?.testAccuracy).toBeNull();
  });
});

describe('predictions', () => {
  let evId: number;
  beforeEach(() => {
    evId = h.evaluations.add(runId, 'test', evaluation(CHIPS)).id;
  });

  it('lists the chips of a confusion cell, most confident first, paginated', () => {
    expect(keys(h.predictions.cell(evId, 1, 0))).toEqual([c2, c5]);
    const second = h.predictions.cell(evId, 1, 0, { limit: 1, offset: 1 });
    expect([second.total, keys(second)]).toEqual([2, [c5]]);
    expect(keys(h.predictions.cell(evId, 2, 2))).toEqual([c6, c3]);
    expect(keys(h.predictions.cell(evId, 0, 1))).toEqual([c4]);
    expect(h.predictions.cell(evId, 2, 0).total).toBe(0);
    expect(() => h.predictions.cell(404, 0, 0)).toThrow('evaluation 404 not found');
  });

  it('ranks chips by entropy, disagreement, w_off and wrong-but-confident', () => {
    const rank = (by: ChipRanking, q?: RankQuery) => {
      const p = h.predictions.ranked(evId, by, q);
      return { total: p.total, keys: keys(p) };
    };
    expect(rank('entropy')).toEqual({ total: 6, keys: [c5, c2, c1, c4, c3, c6] });
    expect(rank('entropy', { order: 'asc', limit: 2 })).toEqual({ total: 6, keys: [c6, c3] });
    expect(rank('disagreement')).toEqual({ total: 5, keys: [c5, c2, c3, c1, c6] });
    expect(rank('wOff')).toEqual({ total: 5, keys: [c2, c6, c1, c5, c3] });
    expect(rank('wOff', { order: 'asc' })).toEqual({ total: 5, keys: [c3, c5, c1, c6, c2] });
    expect(rank('wrongConfident')).toEqual({ total: 3, keys: [c4, c2, c5] });
    expect(rank('wrongConfident', { offset: 2 })).toEqual({ total: 3, keys: [c5] });
    expect(() => h.predictions.ranked(evId, 'loss' as never)).toThrow("unknown chip ranking 'loss'");
  });

  it('computes confidence and total-variation disagreement at insert', () => {
    const rows = h.predictions.list(evId).items;
    expect(rows.map((r) => r.confidence)).toEqual([0.7, 0.6, 0.8, 0.75, 0.34, 0.9]);
    const expected = [0.1, 0.5, 0.2, null, 0.67, 0];
    rows.forEach((r, i) => {
      const e = expected[i];
      if (e === null) expect(r.disagreement).toBeNull();
      else expect(r.disagreement).toBeCloseTo(e, 12);
    });
  });

  it('inspects one chip with its sample, probabilities as float32', () => {
    const f = (xs: number[]) => xs.map(Math.fround);
    expect(h.predictions.inspect(evId, c2)).toEqual({
      evaluationId: evId, key: c2, sampleId: 11, path: '/data/mstar/T72/chip10.jpeg', label: 1, predicted: 0,
      correct: false, student: f([0.6, 0.3, 0.1]), offline: f([0.1, 0.8, 0.1]), online: f([0.5, 0.4, 0.1]),
      entropyStudent: CHIPS[1].entropyStudent, entropyOffline: 0.25, entropyOnline: 0.5, wOff: 0.9, wOn: 1 - 0.9,
      offlineCorrect: true, onlineCorrect: false, confidence: 0.6, disagreement: expect.closeTo(0.5, 12),
      sample: {
        id: 11, datasetId: 1, key: c2, path: '/data/mstar/T72/chip10.jpeg', className: 'T72', label: 1, split: 'test',
        width: 158, height: 158, channels: 1, format: 'jpeg', group: null, geo: null,
      },
    });
    const ghost = h.predictions.inspect(evId, c6);
    expect([ghost?.sampleId, ghost?.path, ghost?.sample, ghost?.online]).toEqual([null, null, null, null]);
    expect(h.predictions.inspect(evId, 'nope')).toBeUndefined();
  });

  it('stores 100,000 predictions in one transaction and still answers quickly', () => {
    const classes = 10;
    const big = Array.from({ length: 100_000 }, (_, i) => {
      const label = i % classes;
      const predicted = i % 7 === 0 ? (label + 1) % classes : label;
      const top = 0.5 + (i % 1000) / 2000;
      const student = new Array<number>(classes).fill((1 - top) / (classes - 1));
      student[predicted] = top;
      const offline = new Array<number>(classes).fill(0.1);
      return { ...chip(`chip/${i}`, label, student), offline, wOff: (i % 100) / 100, wOn: 1 - (i % 100) / 100 };
    });
    const result = {
      ...evaluation([]),
      classes: Array.from({ length: classes }, (_, i) => `c${i}`),
      confusion: Array.from({ length: classes }, () => new Array<number>(classes).fill(0)),
      n: big.length,
      chips: big,
    };
    const t0 = performance.now();
    const ev = h.evaluations.add(runId, 'test', result);
    const insertMs = performance.now() - t0;
    console.log(`inserted 100,000 predictions in ${insertMs.toFixed(0)} ms`);
    expect(insertMs).toBeLessThan(30_000);
    expect(h.predictions.list(ev.id, { limit: 1 }).total).toBe(100_000);
    const t1 = performance.now();
    const wrong = h.predictions.ranked(ev.id, 'wrongConfident', { limit: 50 });
    const cell = h.predictions.cell(ev.id, 3, 4, { limit: 50, offset: 500 });
    const queryMs = performance.now() - t1;
    expect(wrong.total).toBe(Math.ceil(100_000 / 7));
    expect(wrong.items[0].confidence).toBe(0.9995);
    expect(cell.total).toBe(1428);
    expect(cell.items).toHaveLength(50);
    expect(queryMs).toBeLessThan(1000);
    expect(h.integrityCheck()).toEqual(['ok']);
  });
});
