/**
 * An experiment as a readable report: settings, the mean ± std table per method, the ordering
 * verdicts, the paired chip-by-chip tests, per-class recall, confusions, w_off by epoch, the τ sweep
 * and every run. Plain text for the terminal, Markdown for files and the app's "Save report".
 */
import type { ExperimentDetailDto, MeanStd, PooledExperiments, ResultRow } from '../api/experiment-types.js';
import { changedDistillOptions, METHOD_LABELS } from '../engine/config.js';
import { formatDuration, markdownTable, table } from '../format/text.js';
import { describePaired } from './paired.js';
import { ORDERING_PAIRS } from './summary.js';

export type ReportStyle = 'text' | 'markdown';

const LABEL: Record<string, string> = { ...METHOD_LABELS, teacher: 'Offline teacher' };
const label = (method: string) => LABEL[method] ?? method;

const HEADERS = ['seeds', 'test accuracy %', 'balanced accuracy %', 'macro-F1 %', 'val accuracy %', 'time/run'];

const percent = (x: number | null) => (x === null ? '–' : (x * 100).toFixed(2));

/** mean ± std in %; a single seed has no spread to show. */
const meanStdCell = (m: MeanStd | null, n: number) => (!m ? '–' : n > 1 ? `${percent(m.mean)} ± ${percent(m.std)}` : percent(m.mean));

function rowCells(r: ResultRow, first: string): string[] {
  const count = r.failed ? `${r.n}/${r.planned} (${r.failed} failed or cancelled)` : `${r.n}/${r.planned}`;
  return [first, count, meanStdCell(r.accuracy, r.n), meanStdCell(r.balancedAccuracy, r.n), meanStdCell(r.macroF1, r.n), meanStdCell(r.valAccuracy, r.n), formatDuration(r.meanDurationSec)];
}

/** The result table's rows: the offline teacher first (when there is one), then each method. */
function methodRows(t: ExperimentDetailDto['tables']): string[][] {
  const rows = t.methods.map((r) => rowCells(r, label(r.method)));
  return t.teacher ? [rowCells(t.teacher, LABEL.teacher), ...rows] : rows;
}

const holds = (v: boolean | null) => (v === null ? 'not yet' : v ? 'holds' : 'does NOT hold');

/** "AURA-KD ≥ KD holds", one per ordering claim whose two methods are in the experiment (or pool). */
export function orderingVerdicts(e: Pick<ExperimentDetailDto, 'methods' | 'tables'>): string[] {
  return ORDERING_PAIRS.filter((p) => e.methods.includes(p.a) && e.methods.includes(p.b)).map((p) => `${label(p.a)} ≥ ${label(p.b)} ${holds(e.tables.ordering[p.key])}`);
}

const epochs = (n: number) => `${n} epoch${n === 1 ? '' : 's'}`;

function teacherPart(e: ExperimentDetailDto): string {
  const c = e.config;
  if (e.teacherModelId !== null) return `offline teacher saved model #${e.teacherModelId} (${c.teacher}, frozen, the same for every seed)`;
  return `offline teacher ${c.teacher} (${epochs(c.teacherEpochs)} CE, frozen${e.sharedTeacher ? `, one for all seeds: seed ${e.seeds[0]}` : ', one per seed'})`;
}

export function settingsLine(e: ExperimentDetailDto): string {
  const c = e.config;
  const changed = changedDistillOptions(c.distill);
  return (
    `student ${c.student}, ${teacherPart(e)}, ${epochs(c.epochs)}, batch ${c.batchSize}, lr ${c.learningRate} ${c.lrSchedule ?? 'constant'}, ` +
    `weight decay ${c.weightDecay}, τ ${c.distill.tau}${changed ? ` (AURA-KD: ${changed})` : ''}, input ${c.preprocess.size}×${c.preprocess.size} ${c.preprocess.intensity}, shift ±${c.augment.shift}px${c.augment.flip ? ', random flips' : ''}${c.balancedSampling ? ', class-balanced batches' : ''}; seeds ${e.seeds.join(', ')}`
  );
}

function runRows(e: ExperimentDetailDto): string[][] {
  const role = (r: ExperimentDetailDto['results'][number]) => (r.role === 'tau' ? `AURA-KD τ ${r.tau}` : r.role === 'teacher' ? LABEL.teacher : label(r.method));
  return e.results.map((r) => [role(r), String(r.seed), `#${r.runId}`, r.status, percent(r.accuracy), percent(r.valAccuracy), formatDuration(r.durationSec)]);
}

/** The whole experiment as text (`style` 'text': aligned columns; 'markdown': tables and bullet lists). */
export function experimentReport(e: ExperimentDetailDto, style: ReportStyle): string {
  const md = style === 'markdown';
  const render = md ? markdownTable : table;
  const bullet = md ? '* ' : '  ';
  // Markdown wants a blank line between a caption and its table.
  const titled = (caption: string, body: string) => (md ? [caption, '', body] : [caption, body]);
  const lines = [
    `${md ? '## ' : ''}Experiment ${e.id} "${e.name}" on dataset ${e.datasetName}: ${e.done}/${e.runs} runs done${e.failed ? `, ${e.failed} failed/cancelled` : ''}`,
    ...(md ? [''] : []),
    settingsLine(e),
    '',
  ];
  lines.push(render(['method', ...HEADERS], methodRows(e.tables)), '');
  const verdicts = orderingVerdicts(e);
  if (verdicts.length) lines.push(`Mean test accuracy: ${verdicts.join(' · ')}`);
  if (e.paired.length) {
    if (verdicts.length) lines.push('');
    lines.push('Paired on the same test chips (seeds pooled; a p-value above 0.05 means the gap is within chance):');
    for (const p of e.paired) lines.push(`${bullet}${describePaired(p, label)}`);
  }
  const analysed = e.analysis.methods.filter((m) => m.seeds > 0);
  if (analysed.length) {
    const recallRows = e.analysis.classes.map((c, i) => [c, ...analysed.map((m) => (m.recall[i] * 100).toFixed(1))]);
    lines.push('', ...titled('Per-class test recall, mean over seeds (%):', render(['class', ...analysed.map((m) => label(m.method))], recallRows)));
    lines.push('', 'Most frequent confusions (true → predicted, test chips pooled over seeds):');
    for (const m of analysed) {
      const top = m.topConfusions.map((c) => `${c.trueClass} → ${c.predictedClass} ×${c.count}`).join(', ');
      lines.push(`${bullet}${label(m.method)}: ${top || 'none'}`);
    }
    for (const m of analysed.filter((x) => x.wOff.length)) {
      lines.push('', `${label(m.method)} w_off by epoch (mean over seeds ± mean spread over chips): ${m.wOff.map((p) => `${p.epoch}: ${p.mean.toFixed(2)}±${p.std.toFixed(2)}`).join(' · ')}`);
    }
  }
  if (e.tables.tau.length) {
    lines.push('', ...titled(`τ sweep (AURA-KD, seed${e.tauSeeds.length > 1 ? 's' : ''} ${e.tauSeeds.join(', ')}):`, render(['τ', ...HEADERS], e.tables.tau.map((r) => rowCells(r, String(r.tau))))));
  }
  if (e.results.length) lines.push('', ...titled('Runs:', render(['role', 'seed', 'run', 'status', 'test accuracy %', 'val accuracy %', 'time'], runRows(e))));
  return lines.join('\n');
}

/** Render of a settings value: 'not used' for null, JSON otherwise (strings quoted as in `runs compare`). */
const settingValue = (v: unknown) => (v === null ? 'not used' : v === undefined ? '–' : JSON.stringify(v));

/** Several experiments pooled (`experiment pool`): which ones, what differs between them, the table and the summed pairs. */
export function pooledReport(p: PooledExperiments, style: ReportStyle): string {
  const md = style === 'markdown';
  const render = md ? markdownTable : table;
  const bullet = md ? '* ' : '  ';
  const seeds = p.experiments.reduce((n, e) => n + e.seeds.length, 0);
  const lines = [`${md ? '## ' : ''}${p.experiments.length} experiments pooled (${seeds} seeds in all)`, ...(md ? [''] : [])];
  for (const e of p.experiments) lines.push(`${bullet}#${e.id} "${e.name}" on ${e.datasetName}: seeds ${e.seeds.join(', ')}, ${e.done}/${e.runs} runs done`);
  lines.push('');
  if (p.settingsDiff.length === 0) lines.push('The experiments share every training setting.');
  else {
    lines.push('Settings that differ between them (pooling mixes these):');
    for (const d of p.settingsDiff) lines.push(`${bullet}${d.key}: ${d.values.map(settingValue).join(' | ')}`);
  }
  lines.push('', render(['method', ...HEADERS], methodRows(p.tables)), '');
  const verdicts = orderingVerdicts(p);
  if (verdicts.length) lines.push(`Mean test accuracy over all seeds: ${verdicts.join(' · ')}`);
  if (p.paired.length) {
    if (verdicts.length) lines.push('');
    lines.push('Paired on the same test chips within each experiment, summed over the experiments:');
    for (const q of p.paired) lines.push(`${bullet}${describePaired(q, label)} · ${q.experiments} experiment${q.experiments === 1 ? '' : 's'}`);
  }
  return lines.join('\n');
}
