import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DISTILL } from '../../../main/engine/config.js';
import { configDiff, flattenConfig } from '../../../main/store/compare.js';
import { openHistory, type History } from '../../../main/store/db.js';
import { chip, epoch, evaluation, importReport, steppingClock, tempDir, trainConfig } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let h: History;
let datasetId: number;
beforeEach(() => {
  tmp = tempDir();
  h = openHistory(path.join(tmp.dir, 'history.sqlite'), { now: steppingClock() });
  datasetId = h.datasets.create({ name: 'MSTAR', report: importReport(), preprocess: trainConfig().preprocess }).id;
});
afterEach(() => {
  h.close();
  tmp.cleanup();
});

describe('epoch metrics', () => {
  it('records curves per phase, replaces a re-run epoch, keeps NaN and null', () => {
    const id = h.runs.create({ datasetId, name: 'r', config: trainConfig() }).id;
    h.metrics.recordMany(id, [epoch('student', 2), epoch('teacher', 1), epoch('student', 1), epoch('teacher', 2, null)]);
    const diverged = { ...epoch('student', 3), loss: { total: Number.NaN, ce: Number.NaN, off: 0.5, on: 0.25 } };
    h.metrics.record(id, diverged);
    const curves = h.metrics.curves(id);
    expect(curves.teacher).toEqual([epoch('teacher', 1), epoch('teacher', 2, null)]);
    expect(curves.student).toEqual([epoch('student', 1), epoch('student', 2), diverged]);
    expect(curves.student[2].loss.total).toBeNaN();
    h.metrics.record(id, { ...epoch('student', 2), trainAccuracy: 0.99 });
    expect(h.metrics.list(id, 'student').map((m) => m.trainAccuracy)).toEqual([0.52, 0.99, 0.56]);
    expect(h.metrics.list(id).map((m) => `${m.phase}${m.epoch}`)).toEqual(['teacher1', 'teacher2', 'student1', 'student2', 'student3']);
    expect(h.metrics.truncateAfter(id, 'student', 1)).toBe(2);
    expect(h.metrics.list(id, 'student').map((m) => m.epoch)).toEqual([1]);
    expect(() => h.metrics.record(id, epoch('student', 0))).toThrow('epoch must be a positive integer, got 0');
    expect(() => h.metrics.record(404, epoch('student', 1))).toThrow('run 404 not found');
  });
});

describe('compareRuns', () => {
  it('flattens configs and lists only the keys that differ', () => {
    expect([...flattenConfig({ a: 1, b: { c: [1, 2], d: null } }).entries()]).toEqual([['a', 1], ['b.c', [1, 2]], ['b.d', null]]);
    const kd = trainConfig('kd');
    const kdTau2 = trainConfig('kd', { distill: { ...DEFAULT_DISTILL, tau: 2 }, balancedSampling: true });
    const { onlineTeacher: _, ...older } = DEFAULT_DISTILL;
    const kdOlder = trainConfig('kd', { distill: older as typeof DEFAULT_DISTILL });
    expect(configDiff([kd, kdTau2, kdOlder])).toEqual([
      { key: 'balancedSampling', values: [false, true, false] },
      { key: 'distill.tau', values: [4, 2, 4] },
    ]);
  });

  it('shows an option a method ignores as not used (null), a row only where the runs that use it differ from each other or from the default', () => {
    const camkd = { ...DEFAULT_DISTILL, weighting: 'camkd' as const, tau: 1 };
    const ceFromProbe = trainConfig('ce', { distill: camkd });
    expect(configDiff([trainConfig('ce'), ceFromProbe])).toEqual([]);
    expect(configDiff([ceFromProbe, trainConfig('aurakd', { distill: camkd })])).toEqual([
      { key: 'distill.tau', values: [null, 1] },
      { key: 'distill.weighting', values: [null, 'camkd'] },
      { key: 'method', values: ['ce', 'aurakd'] },
    ]);
    // KD ignores the weighting, not τ; an AURA-KD run at the defaults adds only its method.
    expect(configDiff([trainConfig('kd', { distill: camkd }), trainConfig('kd'), trainConfig('aurakd')])).toEqual([
      { key: 'distill.tau', values: [1, 4, 4] },
      { key: 'method', values: ['kd', 'kd', 'aurakd'] },
    ]);
    expect(configDiff([trainConfig('selfkd'), trainConfig('aurakd', { distill: camkd }), trainConfig('aurakd')])).toEqual([
      { key: 'distill.tau', values: [4, 1, 4] },
      { key: 'distill.weighting', values: [null, 'camkd', 'sigmoidDiff'] },
      { key: 'method', values: ['selfkd', 'aurakd', 'aurakd'] },
    ]);
    // Self-KD has no offline teacher: a KD run's non-default teacher is a row, with Self-KD's cell not used.
    expect(configDiff([trainConfig('selfkd'), trainConfig('kd', { teacher: 'resnet50' })])).toEqual([
      { key: 'method', values: ['selfkd', 'kd'] },
      { key: 'teacher', values: [null, 'resnet50'] },
    ]);
  });

  it('says where each distilling run’s frozen teacher came from; a saved teacher makes teacherEpochs not used', () => {
    const kd = trainConfig('kd');
    expect(configDiff([kd, kd], [null, null])).toEqual([]);
    expect(configDiff([kd, trainConfig('aurakd', { teacherEpochs: 3 })], [null, 7])).toEqual([
      { key: 'method', values: ['kd', 'aurakd'] },
      { key: 'teacherModel', values: ['trained by the run', 'saved model #7'] },
    ]);
    expect(configDiff([trainConfig('kd', { teacherEpochs: 3 }), kd], [4, 7])).toEqual([{ key: 'teacherModel', values: ['saved model #4', 'saved model #7'] }]);
    // A CE run has no offline teacher; a KD run that trained its own at the defaults is no difference.
    expect(configDiff([trainConfig('ce'), kd], [null, null])).toEqual([{ key: 'method', values: ['ce', 'kd'] }]);
    expect(configDiff([trainConfig('ce'), kd], [null, 2])).toEqual([
      { key: 'method', values: ['ce', 'kd'] },
      { key: 'teacherModel', values: [null, 'saved model #2'] },
    ]);
  });

  it('puts summaries, curves, latest evaluations and config differences side by side', () => {
    const a = h.runs.create({ datasetId, name: 'kd', config: trainConfig('kd') }).id;
    const b = h.runs.create({
      datasetId, name: 'aura', config: trainConfig('aurakd', { distill: { ...DEFAULT_DISTILL, tau: 2 } }),
    }).id;
    h.metrics.recordMany(a, [epoch('student', 1), epoch('student', 2)]);
    h.metrics.record(b, epoch('teacher', 1));
    h.evaluations.add(a, 'test', evaluation([chip('BMP2/chip09.jpeg', 0, [0.9, 0.05, 0.05])], 0.5));
    const latest = h.evaluations.add(a, 'test', evaluation([chip('BMP2/chip09.jpeg', 0, [0.9, 0.05, 0.05])], 0.625));
    const val = h.evaluations.add(b, 'val', evaluation([], 0.25));
    const cmp = h.compareRuns([b, a, b]);
    expect(cmp.runs.map((e) => e.run.id)).toEqual([b, a]);
    expect(cmp.runs[0].curves).toEqual({ teacher: [epoch('teacher', 1)], student: [] });
    expect(cmp.runs[1].curves).toEqual({ teacher: [], student: [epoch('student', 1), epoch('student', 2)] });
    expect(cmp.runs[1].latestTest).toEqual(latest);
    expect(cmp.runs[1].run.testAccuracy).toBe(0.625);
    expect([cmp.runs[0].latestVal, cmp.runs[0].latestTest, cmp.runs[1].latestVal]).toEqual([val, null, null]);
    expect(cmp.configDiff).toEqual([
      { key: 'distill.tau', values: [2, 4] },
      { key: 'method', values: ['aurakd', 'kd'] },
    ]);
    expect(() => h.compareRuns([a])).toThrow('compare needs 2..20 distinct run ids, got 1');
    expect(() => h.compareRuns([a, 77])).toThrow('run 77 not found');
  });
});
