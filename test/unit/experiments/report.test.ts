import { describe, expect, it } from 'vitest';
import type { ExperimentDetailDto, ExperimentResultDto } from '../../../main/api/contract.js';
import { resolveTrainConfig } from '../../../main/api/train-config.js';
import { markdownTable, table } from '../../../main/format/text.js';
import { mcnemarExactP } from '../../../main/experiments/paired.js';
import { poolExperiments, widestMethod } from '../../../main/experiments/pooled.js';
import { experimentReport, orderingVerdicts, pooledReport, settingsLine } from '../../../main/experiments/report.js';
import { summariseExperiment } from '../../../main/experiments/summary.js';

const result = (runId: number, role: ExperimentResultDto['role'], method: string, seed: number, figures: [number, number, number, number, number] | null, status = 'done'): ExperimentResultDto => ({
  runId,
  role,
  method,
  seed,
  tau: 1,
  status,
  name: `run ${runId}`,
  otherProcess: false,
  accuracy: figures?.[0] ?? null,
  balancedAccuracy: figures?.[1] ?? null,
  macroF1: figures?.[2] ?? null,
  valAccuracy: figures?.[3] ?? null,
  durationSec: figures?.[4] ?? null,
});

/** CE (the teachers) on seeds 1–2, KD on seed 1 (seed 2 failed), AURA-KD on seed 1 (seed 2 training). */
function fixture(): ExperimentDetailDto {
  const results = [
    result(1, 'teacher', 'ce', 1, [0.99, 0.98, 0.985, 0.97, 240]),
    result(1, 'method', 'ce', 1, [0.99, 0.98, 0.985, 0.97, 240]),
    result(2, 'teacher', 'ce', 2, [0.97, 0.96, 0.965, 0.95, 250]),
    result(2, 'method', 'ce', 2, [0.97, 0.96, 0.965, 0.95, 250]),
    result(3, 'method', 'kd', 1, [0.975, 0.965, 0.97, 0.955, 300]),
    result(4, 'method', 'kd', 2, null, 'failed'),
    result(5, 'method', 'aurakd', 1, [0.98, 0.97, 0.975, 0.96, 480]),
    result(6, 'method', 'aurakd', 2, null, 'running'),
  ];
  const methods = ['ce', 'kd', 'aurakd'];
  return {
    id: 7,
    name: 'MSTAR | 64 px',
    datasetId: 1,
    datasetName: 'mstar-soc',
    methods,
    seeds: [1, 2],
    taus: [],
    createdAt: '2026-12-05T10:00:00.000Z',
    runs: 6,
    done: 4,
    failed: 1,
    config: resolveTrainConfig({ preset: 'sarCpu' }),
    tauSeeds: [1],
    sharedTeacher: false,
    teacherModelId: null,
    results,
    tables: summariseExperiment(results, methods, []),
    analysis: {
      classes: ['2S1', 'BMP2'],
      methods: [
        { method: 'ce', seeds: 2, confusion: [], recall: [0.99, 0.97], topConfusions: [{ trueClass: 'BMP2', predictedClass: '2S1', count: 3 }], wOff: [] },
        { method: 'kd', seeds: 0, confusion: [], recall: [0, 0], topConfusions: [], wOff: [] },
        {
          method: 'aurakd',
          seeds: 1,
          confusion: [],
          recall: [1, 0.96],
          topConfusions: [],
          wOff: [
            { epoch: 1, mean: 0.8, std: 0.1, seeds: 1 },
            { epoch: 2, mean: 0.5, std: 0.25, seeds: 1 },
          ],
        },
      ],
    },
    paired: [{ a: 'aurakd', b: 'ce', seeds: 1, chips: 100, aOnly: 1, bOnly: 2, pValue: mcnemarExactP(1, 2) }],
  };
}

describe('experiment report', () => {
  it('writes the whole experiment as Markdown', () => {
    const settings =
      'student sarnet, offline teacher sarnet (10 epochs CE, frozen, one per seed), 10 epochs, batch 16, lr 0.002 cosine, weight decay 0.0001, τ 1, input 64×64 linear, shift ±4px; seeds 1, 2';
    expect(experimentReport(fixture(), 'markdown')).toBe(
      [
        '## Experiment 7 "MSTAR | 64 px" on dataset mstar-soc: 4/6 runs done, 1 failed/cancelled',
        '',
        settings,
        '',
        '| method | seeds | test accuracy % | balanced accuracy % | macro-F1 % | val accuracy % | time/run |',
        '|---|---|---|---|---|---|---|',
        '| Offline teacher | 2/2 | 98.00 ± 1.41 | 97.00 ± 1.41 | 97.50 ± 1.41 | 96.00 ± 1.41 | 4m05s |',
        '| CE | 2/2 | 98.00 ± 1.41 | 97.00 ± 1.41 | 97.50 ± 1.41 | 96.00 ± 1.41 | 4m05s |',
        '| KD | 1/2 (1 failed or cancelled) | 97.50 | 96.50 | 97.00 | 95.50 | 5m00s |',
        '| AURA-KD | 1/2 | 98.00 | 97.00 | 97.50 | 96.00 | 8m00s |',
        '',
        'Mean test accuracy: AURA-KD ≥ KD holds · KD ≥ CE does NOT hold',
        '',
        'Paired on the same test chips (seeds pooled; a p-value above 0.05 means the gap is within chance):',
        '* AURA-KD vs CE: right only with AURA-KD on 1 test chip, only with CE on 2 (1 seed, 100 pairs) · McNemar p = 1.00',
        '',
        'Per-class test recall, mean over seeds (%):',
        '',
        '| class | CE | AURA-KD |',
        '|---|---|---|',
        '| 2S1 | 99.0 | 100.0 |',
        '| BMP2 | 97.0 | 96.0 |',
        '',
        'Most frequent confusions (true → predicted, test chips pooled over seeds):',
        '* CE: BMP2 → 2S1 ×3',
        '* AURA-KD: none',
        '',
        'AURA-KD w_off by epoch (mean over seeds ± mean spread over chips): 1: 0.80±0.10 · 2: 0.50±0.25',
        '',
        'Runs:',
        '',
        '| role | seed | run | status | test accuracy % | val accuracy % | time |',
        '|---|---|---|---|---|---|---|',
        '| Offline teacher | 1 | #1 | done | 99.00 | 97.00 | 4m00s |',
        '| CE | 1 | #1 | done | 99.00 | 97.00 | 4m00s |',
        '| Offline teacher | 2 | #2 | done | 97.00 | 95.00 | 4m10s |',
        '| CE | 2 | #2 | done | 97.00 | 95.00 | 4m10s |',
        '| KD | 1 | #3 | done | 97.50 | 95.50 | 5m00s |',
        '| KD | 2 | #4 | failed | – | – | – |',
        '| AURA-KD | 1 | #5 | done | 98.00 | 96.00 | 8m00s |',
        '| AURA-KD | 2 | #6 | running | – | – | – |',
      ].join('\n'),
    );
  });

  it('writes aligned columns for the terminal, with the τ sweep when there is one', () => {
    const e = fixture();
    const tauRuns = [result(8, 'tau', 'aurakd', 1, [0.96, 0.95, 0.955, 0.94, 470]), result(9, 'tau', 'aurakd', 1, [0.97, 0.96, 0.965, 0.95, 490])];
    tauRuns[1].tau = 4;
    const withTau = { ...e, taus: [1, 4], results: [...e.results, ...tauRuns], tables: summariseExperiment([...e.results, ...tauRuns], e.methods, [1, 4]) };
    const text = experimentReport(withTau, 'text');
    const lines = text.split('\n');
    expect(lines[0]).toBe('Experiment 7 "MSTAR | 64 px" on dataset mstar-soc: 4/6 runs done, 1 failed/cancelled');
    expect(lines[1]).toMatch(/^student sarnet, /);
    expect(lines.slice(3, 8)).toEqual(
      table(
        ['method', 'seeds', 'test accuracy %', 'balanced accuracy %', 'macro-F1 %', 'val accuracy %', 'time/run'],
        [
          ['Offline teacher', '2/2', '98.00 ± 1.41', '97.00 ± 1.41', '97.50 ± 1.41', '96.00 ± 1.41', '4m05s'],
          ['CE', '2/2', '98.00 ± 1.41', '97.00 ± 1.41', '97.50 ± 1.41', '96.00 ± 1.41', '4m05s'],
          ['KD', '1/2 (1 failed or cancelled)', '97.50', '96.50', '97.00', '95.50', '5m00s'],
          ['AURA-KD', '1/2', '98.00', '97.00', '97.50', '96.00', '8m00s'],
        ],
      ).split('\n'),
    );
    expect(lines[3]).toBe('method           seeds                        test accuracy %  balanced accuracy %  macro-F1 %    val accuracy %  time/run');
    expect(text).toContain('\n  AURA-KD vs CE: right only with AURA-KD on 1 test chip');
    expect(text).toContain('\n  CE: BMP2 → 2S1 ×3\n');
    expect(text).toContain('\nτ sweep (AURA-KD, seed 1):\nτ  seeds  test accuracy %');
    expect(text).toMatch(/\n1  1\/1    96\.00 +95\.00 +95\.50 +94\.00 +7m50s\n4  1\/1    97\.00 /);
    expect(text).toContain('\nAURA-KD τ 4      1     #9   done     97.00            95.00           8m10s');
  });

  it('states only the ordering claims whose two methods are in the experiment', () => {
    const e = fixture();
    expect(orderingVerdicts(e)).toEqual(['AURA-KD ≥ KD holds', 'KD ≥ CE does NOT hold']);
    expect(orderingVerdicts({ ...e, methods: ['ce', 'selfkd'], tables: { ...e.tables, ordering: { auraKdGeKd: null, kdGeCe: null, selfKdGeCe: null } } })).toEqual(['Self-KD ≥ CE not yet']);
    expect(experimentReport({ ...e, methods: ['ce'], paired: [] }, 'markdown')).not.toContain('Mean test accuracy');
  });

  it('says "1 epoch", not "1 epochs"', () => {
    const e = fixture();
    expect(settingsLine({ ...e, config: { ...e.config, epochs: 1, teacherEpochs: 1 } })).toMatch(/^student sarnet, offline teacher sarnet \(1 epoch CE, frozen, one per seed\), 1 epoch, batch 16,/);
    expect(settingsLine({ ...e, sharedTeacher: true, teacherModelId: 12 })).toMatch(/^student sarnet, offline teacher saved model #12 \(sarnet, frozen, the same for every seed\), 10 epochs, batch 16,/);
  });

  it('names the AURA-KD options that differ from AURA-KD.md, and none when all are defaults', () => {
    const e = fixture();
    expect(settingsLine(e)).not.toContain('AURA-KD:');
    const changed = { ...e.config, distill: { ...e.config.distill, weighting: 'camkd' as const, offlinePrior: 2, tau: 4 } };
    expect(settingsLine({ ...e, config: changed })).toContain(', τ 4 (AURA-KD: weighting camkd, offlinePrior 2), input ');
  });
});

describe('Markdown tables', () => {
  it('escapes a "|" inside a cell so the columns stay put', () => {
    expect(markdownTable(['a', 'b'], [['x|y', 2]])).toBe('| a | b |\n|---|---|\n| x\\|y | 2 |');
  });
});

/** A second carve-out: CE (its teacher), AURA-KD and Self-KD on seed 1. */
function secondSplit(): ExperimentDetailDto {
  const results = [
    result(11, 'teacher', 'ce', 1, [0.96, 0.95, 0.955, 0.94, 200]),
    result(11, 'method', 'ce', 1, [0.96, 0.95, 0.955, 0.94, 200]),
    result(12, 'method', 'aurakd', 1, [0.97, 0.965, 0.96, 0.95, 400]),
    result(13, 'method', 'selfkd', 1, [0.95, 0.94, 0.945, 0.93, 380]),
  ];
  const methods = ['ce', 'aurakd', 'selfkd'];
  return {
    ...fixture(),
    id: 8,
    name: 'split 2',
    datasetName: 'mstar-split2',
    methods,
    seeds: [1],
    runs: 3,
    done: 3,
    failed: 0,
    results,
    tables: summariseExperiment(results, methods, []),
    paired: [
      { a: 'selfkd', b: 'ce', seeds: 1, chips: 100, aOnly: 2, bOnly: 4, pValue: mcnemarExactP(2, 4) },
      { a: 'aurakd', b: 'ce', seeds: 1, chips: 100, aOnly: 5, bOnly: 0, pValue: mcnemarExactP(5, 0) },
    ],
  };
}

describe('pooled experiments', () => {
  it('averages every finished seed of every experiment and sums the paired chips', () => {
    const p = poolExperiments([fixture(), secondSplit()], [{ key: 'distill.tauOnline', values: [0, 4] }]);
    expect(p.methods).toEqual(['ce', 'kd', 'aurakd', 'selfkd']);
    const ce = p.tables.methods[0];
    expect([ce.n, ce.planned]).toEqual([3, 3]);
    expect(ce.accuracy!.mean).toBeCloseTo((0.99 + 0.97 + 0.96) / 3, 14);
    expect(ce.accuracy!.std).toBeCloseTo(Math.sqrt(0.00046666666666666 / 2), 12);
    expect(p.tables.methods.map((r) => [r.method, r.n, r.planned, r.failed])).toEqual([
      ['ce', 3, 3, 0],
      ['kd', 1, 2, 1],
      ['aurakd', 2, 3, 0],
      ['selfkd', 1, 1, 0],
    ]);
    expect(p.tables.teacher!.n).toBe(3);
    expect(p.tables.methods[2].accuracy!.mean).toBeCloseTo(0.975, 14);
    expect(p.tables.ordering).toEqual({ auraKdGeKd: true, kdGeCe: true, selfKdGeCe: false });
    expect(p.paired).toEqual([
      { a: 'aurakd', b: 'ce', experiments: 2, seeds: 2, chips: 200, aOnly: 6, bOnly: 2, pValue: mcnemarExactP(6, 2) },
      { a: 'selfkd', b: 'ce', experiments: 1, seeds: 1, chips: 100, aOnly: 2, bOnly: 4, pValue: mcnemarExactP(2, 4) },
    ]);
    expect(mcnemarExactP(6, 2)).toBeCloseTo(0.2890625, 15);

    const text = pooledReport(p, 'text').split('\n');
    expect(text.slice(0, 7)).toEqual([
      '2 experiments pooled (3 seeds in all)',
      '  #7 "MSTAR | 64 px" on mstar-soc: seeds 1, 2, 4/6 runs done',
      '  #8 "split 2" on mstar-split2: seeds 1, 3/3 runs done',
      '',
      'Settings that differ between them (pooling mixes these):',
      '  distill.tauOnline: 0 | 4',
      '',
    ]);
    expect(text).toContain('Mean test accuracy over all seeds: AURA-KD ≥ KD holds · KD ≥ CE holds · Self-KD ≥ CE does NOT hold');
    expect(text.at(-2)).toBe('  AURA-KD vs CE: right only with AURA-KD on 6 test chips, only with CE on 2 (2 seeds, 200 pairs) · McNemar p = 0.29 · 2 experiments');
  });

  it('counts a saved teacher once per experiment, from its measured row', () => {
    const saved = secondSplit();
    const results = saved.results.filter((r) => r.role !== 'teacher');
    const row = { method: 'teacher', tau: null, n: 1, planned: 1, failed: 0, accuracy: { mean: 0.995, std: 0 }, balancedAccuracy: null, macroF1: null, valAccuracy: null, meanDurationSec: null };
    const p = poolExperiments([fixture(), { ...saved, teacherModelId: 5, results, tables: { ...summariseExperiment(results, saved.methods, []), teacher: row } }]);
    expect(p.tables.teacher!.n).toBe(3);
    expect(p.tables.teacher!.accuracy!.mean).toBeCloseTo((0.99 + 0.97 + 0.995) / 3, 14);
  });

  it('compares settings as the widest method an experiment ran uses them', () => {
    expect(widestMethod(['ce'], [])).toBe('ce');
    expect(widestMethod(['ce', 'kd'], [])).toBe('kd');
    expect(widestMethod(['selfkd'], [])).toBe('selfkd');
    expect(widestMethod(['kd', 'selfkd'], [])).toBe('aurakd');
    expect(widestMethod(['ce'], [2, 4])).toBe('aurakd');
  });

  it('refuses experiments on different classes, and fewer than two', () => {
    const other = { ...secondSplit(), analysis: { ...secondSplit().analysis, classes: ['BMP2', '2S1'] } };
    expect(() => poolExperiments([fixture(), other])).toThrow('experiments 7 and 8 classify different classes (2S1, BMP2 / BMP2, 2S1); pool experiments on the same classes');
    expect(() => poolExperiments([fixture()])).toThrow('pooling needs at least two experiments, got 1');
  });
});
