import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setApiClient } from '../../../renderer/src/api/client.js';
import { useWizardStore } from '../../../renderer/src/stores/wizard.js';
import type { DatasetDetail, ModelSummary } from '../../../renderer/src/api/types.js';
import { FakeApi, flush, makeJob } from './fakeApi.js';

const PREPROCESS = { size: 64, fit: 'crop', intensity: 'linear', normalise: 'chip', channels: 1 } as const;

function datasetDetail(id: number, train: number[]): DatasetDetail {
  return {
    id, name: `ds ${id}`, root: '/data', layout: 'class', classes: train.map((_, i) => `c${i}`), preprocess: { ...PREPROCESS } as DatasetDetail['preprocess'],
    contentHash: 'h', createdAt: '2025-01-01T00:00:00.000Z', sampleCount: 0, splitCounts: { train: 0, val: 0, test: 0 }, skipped: [],
    classCounts: { train, val: [], test: [] }, sizeHistogram: [], runCount: 0,
  };
}

describe('wizard store', () => {
  let fake: FakeApi;
  beforeEach(() => {
    setActivePinia(createPinia());
    fake = new FakeApi({
      'runs.start': () => ({ runId: 11, job: makeJob({ runId: 11 }) }),
      'runs.sweep': ({ values }) => ({ sweepId: 's1', runIds: (values ?? []).map((_, i) => 20 + i) }),
      'experiments.start': () => ({ experimentId: 5, runIds: [30, 31, 32] }),
    });
    setApiClient(fake);
  });

  it('will not leave step 1 without a dataset, nor go on with invalid options', () => {
    const w = useWizardStore();
    w.next();
    expect(w.step).toBe(0);
    expect(w.error).toBe('Pick a dataset.');
    w.datasetId = 1;
    w.next();
    expect(w.step).toBe(1);
    w.setValue('epochs', 0);
    w.next();
    expect(w.step).toBe(1);
    expect(w.errors).toEqual({ epochs: 'Must be between 1 and 500.' });
    w.setValue('epochs', 2);
    w.next();
    w.next();
    expect(w.step).toBe(3);
    w.back();
    expect(w.step).toBe(2);
  });

  it('drops a τ sweep when switching to CE', () => {
    const w = useWizardStore();
    w.launch = 'tau';
    w.setMethod('ce');
    expect(w.launch).toBe('single');
  });

  it('ignores errors in options the method does not use', () => {
    const w = useWizardStore();
    w.setMethod('ce');
    w.setValue('distill.tau', 999);
    expect(w.errors).toEqual({});
  });

  it('applies a preset and forgets it when an option is edited', () => {
    const w = useWizardStore();
    w.usePreset('paper');
    expect(w.preset).toBe('paper');
    expect(w.patch).toMatchObject({ student: 'resnet18', teacher: 'resnet50', learningRate: 1e-4, weightDecay: 1e-2 });
    w.setValue('epochs', 3);
    expect(w.preset).toBeNull();
  });

  it('starts one run with the config patch', async () => {
    const w = useWizardStore();
    w.datasetId = 2;
    w.setMethod('kd');
    w.setValue('epochs', 1);
    w.setValue('teacherEpochs', 1);
    w.name = ' quick kd ';
    const out = await w.submit();
    expect(out).toEqual({ runIds: [11], sweepId: null, experimentId: null });
    expect(fake.calls[0]).toEqual({
      op: 'runs.start',
      input: { datasetId: 2, name: 'quick kd', config: { method: 'kd', student: 'sarnet', teacher: 'resnet18', epochs: 1, teacherEpochs: 1 } },
    });
  });

  it('queues a τ sweep and a method sweep', async () => {
    const w = useWizardStore();
    w.datasetId = 2;
    w.launch = 'tau';
    expect((await w.submit())?.runIds).toEqual([20, 21, 22, 23, 24]);
    expect(fake.calls[0].input).toMatchObject({ sweep: 'tau', values: [1, 2, 4, 6, 8] });
    w.launch = 'methods';
    await w.submit();
    expect(fake.calls[1].input).toMatchObject({ sweep: 'methods', values: ['ce', 'kd', 'selfkd', 'aurakd'] });
  });

  it('starts an experiment with every option in the patch, the methods, seeds and τ sweep', async () => {
    const w = useWizardStore();
    w.datasetId = 2;
    w.setMethod('ce');
    w.setValue('epochs', 2);
    w.setValue('distill.tau', 6);
    w.setValue('seed', 9);
    w.launch = 'experiment';
    expect(w.experiment).toEqual({ methods: ['ce', 'kd', 'selfkd', 'aurakd'], seeds: '1, 2, 3', tauSweep: false, taus: '1, 2, 4, 6, 8', sharedTeacher: false });
    // sarnet student, resnet18 teacher: per seed a teacher run + 4 methods.
    expect(w.experimentRunCount).toBe(15);
    w.toggleExperimentMethod('selfkd');
    w.experiment.seeds = '7 8';
    w.experiment.tauSweep = true;
    w.experiment.taus = '2, 6';
    // 2 × (teacher + 3 methods) + τ 2 on seed 7 (τ 6 is the AURA-KD run itself).
    expect(w.experimentRunCount).toBe(9);
    // One teacher for both seeds: a run fewer.
    w.experiment.sharedTeacher = true;
    expect(w.experimentRunCount).toBe(8);
    w.name = ' paper table ';
    const out = await w.submit();
    expect(out).toEqual({ runIds: [30, 31, 32], sweepId: null, experimentId: 5 });
    expect(fake.calls[0]).toEqual({
      op: 'experiments.start',
      input: {
        datasetId: 2,
        name: 'paper table',
        config: { student: 'sarnet', teacher: 'resnet18', epochs: 2, distill: { tau: 6 } },
        methods: ['ce', 'kd', 'aurakd'],
        seeds: [7, 8],
        taus: [2, 6],
        sharedTeacher: true,
      },
    });
  });

  it('counts one run fewer per seed when the CE baseline is the teacher', () => {
    const w = useWizardStore();
    w.launch = 'experiment';
    w.setValue('teacher', 'sarnet');
    w.setValue('teacherEpochs', 15);
    expect(w.experimentRunCount).toBe(12);
    w.toggleExperimentMethod('ce');
    expect(w.experimentRunCount).toBe(12);
    w.toggleExperimentMethod('kd');
    w.toggleExperimentMethod('aurakd');
    expect(w.experimentRunCount).toBe(3);
    expect(w.experiment.methods).toEqual(['selfkd']);
  });

  it('refuses bad experiment inputs with one clear line, without calling the API', async () => {
    const w = useWizardStore();
    w.datasetId = 2;
    w.launch = 'experiment';
    const problems: [Partial<typeof w.experiment>, string][] = [
      [{ seeds: '' }, 'Seeds: Enter at least one seed.'],
      [{ seeds: '1, x' }, 'Seeds: “x” is not a number (seeds are comma-separated).'],
      [{ seeds: '1, 1.5' }, 'Seeds: Seed “1.5” must be a whole number.'],
      [{ seeds: '1, 2, 1' }, 'Seeds: Seed 1 is listed twice.'],
      [{ seeds: '-1' }, 'Seeds: Seed -1 is outside 0–2147483647.'],
      [{ seeds: '1 2 3 4 5 6 7 8 9 10 11' }, 'Seeds: At most 10 seeds (got 11).'],
      [{ tauSweep: true, taus: '0.25, 4' }, 'τ sweep: τ value 0.25 is outside 0.5–20.'],
      [{ methods: [] }, 'Pick at least one method to compare.'],
    ];
    for (const [patch, message] of problems) {
      w.experiment = { methods: ['ce', 'kd', 'selfkd', 'aurakd'], seeds: '1', tauSweep: false, taus: '1', sharedTeacher: false, ...patch };
      expect(w.experimentProblem).toBe(message);
      expect(w.experimentRunCount).toBeNull();
      expect(await w.submit()).toBeUndefined();
      expect(w.error).toBe(message);
    }
    // An option the single-run method hid still counts for an experiment.
    w.experiment = { methods: ['ce'], seeds: '1', tauSweep: false, taus: '', sharedTeacher: false };
    w.setMethod('ce');
    w.setValue('distill.tau', 999);
    expect(w.experimentProblem).toBe('Option distill.tau: Must be between 0.5 and 20.');
    expect(await w.submit()).toBeUndefined();
    expect(w.error).toBe('Option distill.tau: Must be between 0.5 and 20.');
    expect(fake.calls).toEqual([]);
  });

  it('shows the API’s refusal', async () => {
    fake.handlers['runs.start'] = () => {
      throw new Error('runs.start: config.batchSize: too large for the wasm heap');
    };
    const w = useWizardStore();
    w.datasetId = 2;
    expect(await w.submit()).toBeUndefined();
    expect(w.error).toBe('runs.start: config.batchSize: too large for the wasm heap');
    expect(w.submitting).toBe(false);
  });

  it('starts preprocessing from the chosen dataset and keeps what the analyst changed', () => {
    const w = useWizardStore();
    w.setDataset({ id: 3, classes: ['a', 'b'], preprocess: { size: 48, fit: 'crop', intensity: 'linear', normalise: 'chip', channels: 1 } });
    expect(w.values['preprocess.size']).toBe(48);
    expect(w.patch).toEqual({ method: 'aurakd', student: 'sarnet', teacher: 'resnet18' });
    w.setValue('preprocess.intensity', 'db');
    w.setDataset({ id: 4, classes: ['a', 'b'], preprocess: { size: 88, fit: 'crop', intensity: 'linear', normalise: 'none', channels: 1 } });
    expect([w.values['preprocess.size'], w.values['preprocess.intensity'], w.values['preprocess.normalise']]).toEqual([88, 'db', 'none']);
    expect(w.patch).toMatchObject({ preprocess: { intensity: 'db' } });
  });

  it('starts class-balanced batches from the dataset’s training split, as the API defaults them', async () => {
    const w = useWizardStore();
    // 40 vs 20 chips: imbalanced (largest ≥ 2× the smallest present class; empty classes do not count).
    await w.setDataset(datasetDetail(3, [40, 0, 20, 30]));
    expect([w.values.balancedSampling, w.baseline.balancedSampling]).toEqual([true, true]);
    expect(w.patch).not.toHaveProperty('balancedSampling');
    await w.setDataset(datasetDetail(4, [40, 21, 30]));
    expect([w.values.balancedSampling, w.baseline.balancedSampling]).toEqual([false, false]);
    // A summary has no class counts: they are fetched.
    fake.handlers['datasets.get'] = ({ datasetId }) => datasetDetail(datasetId, [100, 10]);
    const { classCounts: _counts, ...summary } = datasetDetail(5, []);
    await w.setDataset(summary);
    expect(fake.calls.at(-1)).toEqual({ op: 'datasets.get', input: { datasetId: 5 } });
    expect(w.values.balancedSampling).toBe(true);
  });

  it('keeps the analyst’s own choice of class-balanced batches, sending it when it differs from the dataset default', async () => {
    const w = useWizardStore();
    w.setValue('balancedSampling', false);
    await w.setDataset(datasetDetail(3, [40, 10]));
    expect([w.values.balancedSampling, w.baseline.balancedSampling]).toEqual([false, true]);
    expect(w.patch).toMatchObject({ balancedSampling: false });
    w.datasetId = 3;
    w.launch = 'experiment';
    await w.submit();
    expect((fake.calls.at(-1)?.input as { config: Record<string, unknown> }).config).toMatchObject({ balancedSampling: false });
    w.reset();
    await w.setDataset(datasetDetail(3, [40, 10]));
    expect(w.values.balancedSampling).toBe(true);
  });

  it('applies only the latest dataset’s class counts when fetches overlap', async () => {
    const pending = new Map<number, () => void>();
    fake.handlers['datasets.get'] = ({ datasetId }) => new Promise((resolve) => pending.set(datasetId, () => resolve(datasetDetail(datasetId, datasetId === 1 ? [50, 5] : [10, 10]))));
    const w = useWizardStore();
    const first = w.setDataset({ id: 1, classes: ['a', 'b'], preprocess: PREPROCESS });
    const second = w.setDataset({ id: 2, classes: ['a', 'b'], preprocess: PREPROCESS });
    await flush();
    pending.get(2)!();
    await second;
    pending.get(1)!();
    await first;
    expect([w.datasetId, w.values.balancedSampling, w.baseline.balancedSampling]).toEqual([2, false, false]);
  });

  it('resets to defaults', () => {
    const w = useWizardStore();
    w.setValue('epochs', 3);
    w.step = 2;
    w.launch = 'experiment';
    w.experiment.seeds = '4';
    w.reset();
    expect(w.step).toBe(0);
    expect(w.values.epochs).toBe(15);
    expect([w.launch, w.experiment.seeds]).toEqual(['single', '1, 2, 3']);
  });

  it('distils from a saved teacher: lists only models that fit, sends teacherModelId with a run, a sweep or an experiment, refuses when it no longer fits', async () => {
    const model = (id: number, patch: Partial<ModelSummary>): ModelSummary => ({
      id, runId: id, runName: `run ${id}`, kind: 'student', dir: `/m/${id}`, backbone: 'sarnet', method: 'ce', classes: ['c0', 'c1'], inputSize: 64, channels: 1, intensity: 'linear', normalise: 'chip', accuracy: 0.99, createdAt: '2026-12-05T00:00:00.000Z', ...patch,
    });
    fake.handlers['models.list'] = () => [
      model(1, {}),
      model(2, { kind: 'teacher', method: 'kd', backbone: 'resnet18' }),
      model(3, { method: 'kd' }),
      model(4, { classes: ['c1', 'c0'] }),
      model(5, { inputSize: 88 }),
      model(6, { kind: 'imported', runId: null, runName: null, method: null }),
      model(7, { kind: 'online' }),
      model(8, { intensity: 'db' }),
    ];
    const w = useWizardStore();
    await w.setDataset(datasetDetail(3, [10, 10]));
    await w.loadSavedModels();
    // Any classifier that fits (a distilled student, an imported model too), not a previous-epoch snapshot or one trained on dB chips.
    expect(w.teacherChoices.map((m) => m.id)).toEqual([1, 2, 3, 6]);
    w.setMethod('kd');
    w.setTeacherModel(2);
    expect(w.teacherModel?.backbone).toBe('resnet18');
    expect(w.hidden.has('teacherEpochs')).toBe(true);
    w.setValue('teacherEpochs', 3);
    expect(w.changes.map((c) => c.key)).not.toContain('teacherEpochs');
    await w.submit();
    expect(fake.calls.at(-1)).toMatchObject({ op: 'runs.start', input: { datasetId: 3, teacherModelId: 2, config: { method: 'kd' } } });
    // A sweep distils every run from it too.
    w.launch = 'tau';
    await w.submit();
    expect(fake.calls.at(-1)).toMatchObject({ op: 'runs.sweep', input: { datasetId: 3, sweep: 'tau', teacherModelId: 2 } });
    // An experiment: every seed distils from it, no teacher run is planned (2 seeds × CE, KD, Self-KD, AURA-KD).
    w.launch = 'experiment';
    w.experiment = { ...w.experiment, methods: ['ce', 'selfkd'], seeds: '1, 2' };
    expect(w.experimentProblem).toBe('A saved teacher needs KD, AURA-KD or the τ sweep among the runs.');
    w.experiment = { ...w.experiment, methods: ['ce', 'kd', 'selfkd', 'aurakd'] };
    expect(w.experimentRunCount).toBe(8);
    await w.submit();
    expect(fake.calls.at(-1)).toMatchObject({ op: 'experiments.start', input: { datasetId: 3, teacherModelId: 2, seeds: [1, 2] } });
    w.launch = 'single';
    // Self-KD has no offline teacher: the choice is kept but not sent.
    w.setMethod('selfkd');
    expect(w.teacherModel).toBeNull();
    await w.submit();
    expect(fake.calls.at(-1)?.input).not.toHaveProperty('teacherModelId');
    // 88×88 chips: model 2 no longer fits; the wizard will not go on, nor start.
    w.setMethod('aurakd');
    w.setValue('preprocess.size', 88);
    expect(w.teacherChoices.map((m) => m.id)).toEqual([5]);
    w.step = 1;
    expect(w.blocker).toMatch(/^Saved teacher model #2 does not fit/);
    const calls = fake.calls.length;
    expect(await w.submit()).toBeUndefined();
    expect(fake.calls.length).toBe(calls);
    w.setTeacherModel(null);
    expect(w.blocker).toBeNull();
    expect(w.hidden.has('teacherEpochs')).toBe(false);
  });

  it('starts from a saved model chosen in the Models view: AURA-KD, the teacher kept through the first dataset, dropped on a switch', async () => {
    const model = (id: number, classes: string[]): ModelSummary => ({
      id, runId: null, runName: null, kind: 'imported', dir: `/m/${id}`, backbone: 'resnet18', method: null, classes, inputSize: 64, channels: 1, intensity: 'linear', normalise: 'chip', accuracy: null, createdAt: '2026-12-05T00:00:00.000Z',
    });
    fake.handlers['models.list'] = () => [model(9, ['c0', 'c1']), model(10, ['c0', 'c1', 'c2'])];
    const w = useWizardStore();
    w.setValue('epochs', 3);
    await w.startFromTeacher(9);
    expect([w.step, w.datasetId, w.method, w.values.epochs, w.chosenTeacher?.id]).toEqual([0, null, 'aurakd', 15, 9]);
    await w.setDataset(datasetDetail(3, [10, 10]));
    expect(w.teacherModel?.id).toBe(9);
    w.step = 1;
    expect(w.blocker).toBeNull();
    // A teacher that does not fit the dataset says why.
    await w.startFromTeacher(10);
    await w.setDataset(datasetDetail(3, [10, 10]));
    expect(w.teacherModel).toBeNull();
    expect(w.teacherProblem).toBe('Saved teacher model #10 does not fit: model 10 knows the classes c0, c1, c2, this dataset c0, c1. Pick another or train a new teacher.');
    // Another dataset afterwards: the choice goes, as any teacher chosen for one dataset.
    await w.setDataset(datasetDetail(4, [10, 10, 10]));
    expect([w.teacherModelId, w.teacherProblem]).toEqual([null, null]);
  });
});
