/** Display formatting shared by views. */

export function percent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${(value * 100).toFixed(digits)} %`;
}

export function fixed(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(digits);
}

/** 75 → '1 min 15 s', 3725 → '1 h 2 min'. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

/** ISO time → 'YYYY-MM-DD HH:MM' in local time. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Compact number for option values: 0.0001 → '1e-4', 0.5 → '0.5'. */
export function compactNumber(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e6) {
    const [mantissa, exp] = value.toExponential().split('e');
    const m = Number(mantissa);
    return `${Number.isInteger(m) ? m : Number(m.toPrecision(3))}e${Number(exp)}`;
  }
  return String(Number(value.toPrecision(6)));
}

export function formatValue(value: unknown): string {
  if (typeof value === 'number') return compactNumber(value);
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export const METHOD_LABELS: Record<string, string> = { ce: 'CE', kd: 'KD', selfkd: 'Self-KD', aurakd: 'AURA-KD' };

export function methodLabel(method: string): string {
  return METHOD_LABELS[method] ?? method;
}

/** The tail of a delete confirmation naming the classifications that go too ('' for none); `madeWith`: 'its models', 'it'. */
export function classificationsGoing(n: number, madeWith: string): string {
  return n > 0 ? `, and the ${n} classification${n === 1 ? '' : 's'} of new chips made with ${madeWith} (flags included)` : '';
}
