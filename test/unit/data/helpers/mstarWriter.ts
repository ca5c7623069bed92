/** Synthetic MSTAR Phoenix files: leading byte, ASCII header with its own length, BE float32 magnitude + phase. */
export interface PhoenixSpec {
  rows: number;
  cols: number;
  magnitude: ArrayLike<number>;
  phase?: ArrayLike<number>;
  /** Extra header lines (vary the header length). */
  fields?: Record<string, string>;
}

export function buildPhoenix(spec: PhoenixSpec): Buffer {
  const body = [
    'PhoenixSigSize= 00000000',
    'PhoenixSigNum= 0001',
    `NumberOfColumns= ${spec.cols}`,
    `NumberOfRows= ${spec.rows}`,
    ...Object.entries(spec.fields ?? {}).map(([k, v]) => `${k}= ${v}`),
    '[EndofPhoenixHeader]',
  ];
  const make = (len: number): string => ['\n[PhoenixHeaderVer01.04]', `PhoenixHeaderLength= ${String(len).padStart(5, '0')}`, ...body].join('\n') + '\n';
  const headerLength = Buffer.byteLength(make(0), 'latin1');
  const header = Buffer.from(make(headerLength), 'latin1');
  const n = spec.rows * spec.cols;
  const data = Buffer.alloc(2 * n * 4);
  for (let p = 0; p < n; p++) {
    data.writeFloatBE(spec.magnitude[p], p * 4);
    data.writeFloatBE(spec.phase ? spec.phase[p] : 1.5, (n + p) * 4);
  }
  return Buffer.concat([header, data]);
}
