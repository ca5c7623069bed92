/**
 * MSTAR Phoenix native files: one leading byte, an ASCII header from `[PhoenixHeaderVer..]` to
 * `[EndofPhoenixHeader]` whose total length (leading byte included) is `PhoenixHeaderLength=`,
 * then rows·cols big-endian float32 magnitude, then rows·cols phase. The magnitude (linear) is kept.
 */
import type { RawChip } from '../types.js';
import { ChipDecodeError, assertChipSize } from './chipDecodeError.js';

const START = '[PhoenixHeaderVer';
const END = '[EndofPhoenixHeader]';

export function isMstar(buf: Uint8Array): boolean {
  const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.length, 24)).toString('latin1');
  const at = head.indexOf(START);
  return at === 0 || at === 1;
}

/** Parses `Key= value` lines of a Phoenix header into a record (values trimmed). */
export function parsePhoenixHeader(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq <= 0 || line.startsWith('[')) continue;
    fields[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return fields;
}

function intField(fields: Record<string, string>, key: string, name: string): number {
  const raw = fields[key];
  if (raw === undefined || !/^\d+$/.test(raw)) throw new ChipDecodeError(`${name}: MSTAR header has no valid ${key}`);
  return Number(raw);
}

/** Longitudes in MSTAR headers run 0–360 east; brought to −180…180. */
function geoFrom(fields: Record<string, string>): RawChip['geo'] {
  const lat = Number(fields.MeasuredAimpointLatitude ?? fields.DesiredAimpointLatitude);
  let lon = Number(fields.MeasuredAimpointLongitude ?? fields.DesiredAimpointLongitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90) return undefined;
  if (lon > 180) lon = Math.round((lon - 360) * 1e9) / 1e9;
  return Math.abs(lon) <= 180 ? { lat, lon } : undefined;
}

export function decodeMstar(buf: Buffer, name: string, maxSide?: number): RawChip {
  const scanLimit = Math.min(buf.length, 65536);
  const text = buf.toString('latin1', 0, scanLimit);
  const endAt = text.indexOf(END);
  if (endAt < 0) throw new ChipDecodeError(`${name}: MSTAR header without ${END} (truncated or not a Phoenix file)`);
  const fields = parsePhoenixHeader(text.slice(0, endAt));
  const headerLength = intField(fields, 'PhoenixHeaderLength', name);
  if (headerLength < endAt + END.length) {
    throw new ChipDecodeError(`${name}: MSTAR PhoenixHeaderLength ${headerLength} is shorter than the header text`);
  }
  const rows = intField(fields, 'NumberOfRows', name);
  const cols = intField(fields, 'NumberOfColumns', name);
  assertChipSize(cols, rows, name, maxSide);
  const pixels = rows * cols;
  const expected = headerLength + 2 * pixels * 4;
  if (buf.length < expected) {
    throw new ChipDecodeError(`${name}: truncated MSTAR file (${buf.length} bytes, header + magnitude + phase need ${expected})`);
  }
  if (buf.length > expected) {
    throw new ChipDecodeError(`${name}: MSTAR file size ${buf.length} does not match header + magnitude + phase (${expected})`);
  }
  const data = new Float32Array(pixels);
  for (let p = 0; p < pixels; p++) {
    const v = buf.readFloatBE(headerLength + p * 4);
    data[p] = Number.isFinite(v) ? v : 0;
  }
  const chip: RawChip = { width: cols, height: rows, channels: 1, data, format: 'mstar', linear: true, meta: fields };
  const geo = geoFrom(fields);
  if (geo) chip.geo = geo;
  return chip;
}
