/** Console output helpers of the CLI: tables, progress lines, JSON. */
import type { JobSnapshot } from '../api/contract.js';
import { formatDuration, pct } from '../format/text.js';

export { formatDuration, pct, table } from '../format/text.js';

/** One progress line for a job, e.g. "student  epoch 3/15  batch 12/40  loss 0.412  acc 91.2%  42 chips/s  ETA 3m10s". */
export function progressLine(job: JobSnapshot): string {
  const t = job.train;
  if (!t) return `${(job.fraction * 100).toFixed(0).padStart(3)}%  ${job.message}`;
  const where = t.kind === 'batch' ? `epoch ${t.epoch}/${t.epochs}  batch ${t.batch}/${t.batches}` : `epoch ${t.epoch}/${t.epochs} done`;
  const loss = t.kind === 'batch' ? t.loss.total : t.loss.total;
  const acc = t.kind === 'batch' ? t.accuracy : t.valAccuracy ?? t.trainAccuracy;
  return `${t.phase.padEnd(7)}  ${where}  loss ${loss.toFixed(4)}  ${t.kind === 'epoch' && t.valAccuracy !== null ? 'val' : 'acc'} ${pct(acc, 1)}  w_off ${t.wOff.mean.toFixed(2)}±${t.wOff.std.toFixed(2)}  ${t.chipsPerSec.toFixed(0)} chips/s  ETA ${formatDuration(t.etaSec)}`;
}

export class ProgressPrinter {
  private lastLen = 0;
  private lastPrint = 0;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(line: string, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastPrint < 200) return;
    this.lastPrint = now;
    if (this.stream.isTTY) {
      const text = line.slice(0, (this.stream.columns || 120) - 1);
      this.stream.write(`\r${text.padEnd(this.lastLen)}`);
      this.lastLen = text.length;
    } else {
      this.stream.write(line + '\n');
    }
  }

  /** Keep the current line and move on (epoch summaries). */
  commit(line: string): void {
    if (this.stream.isTTY) this.stream.write(`\r${line.padEnd(this.lastLen)}\n`);
    else this.stream.write(line + '\n');
    this.lastLen = 0;
  }

  done(): void {
    if (this.stream.isTTY && this.lastLen) this.stream.write('\n');
    this.lastLen = 0;
  }
}
