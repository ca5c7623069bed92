/** Column encodings: float32 probability blobs, JSON text, NaN-safe numbers. */

/** Probabilities as little-endian float32 (4 bytes per class): compact and endian-stable across machines. */
export function encodeProbs(values: readonly number[]): Buffer {
  const buf = Buffer.allocUnsafe(values.length * 4);
  for (let i = 0; i < values.length; i++) buf.writeFloatLE(values[i], i * 4);
  return buf;
}

export function decodeProbs(buf: Buffer): number[] {
  if (buf.length % 4 !== 0) throw new Error(`probability blob length ${buf.length} is not a multiple of 4`);
  const out = new Array<number>(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

export function decodeOptionalProbs(buf: Buffer | null): number[] | null {
  return buf === null ? null : decodeProbs(buf);
}

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function fromJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** SQLite stores NaN as NULL; numbers that must stay numbers come back as NaN. */
export function numberOrNaN(value: number | null): number {
  return value === null ? Number.NaN : value;
}

export function boolOrNull(value: number | null): boolean | null {
  return value === null ? null : value === 1;
}

export function intOrNullFromBool(value: boolean | null): number | null {
  return value === null ? null : value ? 1 : 0;
}

/** Maximum of `p` (0 for an empty vector). */
export function maxProb(p: readonly number[]): number {
  let m = 0;
  for (const v of p) if (v > m) m = v;
  return m;
}

/** Total-variation distance ½·Σ|a − b| between two distributions of the same length. */
export function totalVariation(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`probability vectors differ in length (${a.length} vs ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / 2;
}
