import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { decodeChipBuffer, detectChipFormat } from '../../../main/data/decodeChip.js';
import { parsePhoenixHeader } from '../../../main/data/decoders/mstar.js';
import { buildPhoenix } from './helpers/mstarWriter.js';
import { buildTiff, type TiffCompression } from './helpers/tiffWriter.js';

function png(width: number, height: number, rgba: number[], opts: { colorType?: 0 | 2 | 4 | 6; bitDepth?: 8 | 16 } = {}): Buffer {
  const p = new PNG({ width, height, colorType: opts.colorType ?? 6, bitDepth: opts.bitDepth ?? 8 });
  p.data = Buffer.from(rgba);
  return PNG.sync.write(p, { colorType: opts.colorType ?? 6, bitDepth: opts.bitDepth ?? 8 });
}

describe('PNG', () => {
  it('decodes 8-bit grayscale exactly', async () => {
    const gray = [0, 17, 128, 255, 3, 99];
    const buf = png(3, 2, gray.flatMap((g) => [g, g, g, 255]), { colorType: 0 });
    const chip = await decodeChipBuffer(buf, 'g.png');
    expect(chip).toMatchObject({ width: 3, height: 2, channels: 1, format: 'png', linear: false });
    expect(Array.from(chip.data)).toEqual(gray);
  });

  it('keeps the full range of 16-bit grayscale', async () => {
    const p = new PNG({ width: 2, height: 1, colorType: 0, bitDepth: 16 });
    // pngjs's 16-bit writer takes 16-bit RGBA samples from a Uint16Array view of data.
    p.data = Buffer.from(new Uint16Array([1000, 1000, 1000, 65535, 65535, 65535, 65535, 65535]).buffer);
    const buf = PNG.sync.write(p, { colorType: 0, bitDepth: 16, inputColorType: 6 });
    const chip = await decodeChipBuffer(buf, 'g16.png');
    expect(Array.from(chip.data)).toEqual([1000, 65535]);
  });

  it('averages RGB and ignores alpha', async () => {
    const buf = png(2, 1, [30, 60, 90, 10, 255, 0, 0, 255]);
    const chip = await decodeChipBuffer(buf, 'rgb.png');
    expect(Array.from(chip.data)).toEqual([60, 85]);
  });
});

describe('JPEG', () => {
  it('decodes an RGB JPEG of flat 8×8 blocks to one channel within ±1', async () => {
    const levels = [20, 100, 180, 240];
    const rgba: number[] = [];
    for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) {
      const v = levels[(y >> 3) * 2 + (x >> 3)];
      rgba.push(v, v, v, 255);
    }
    const buf = jpeg.encode({ width: 16, height: 16, data: Buffer.from(rgba) }, 100).data;
    const chip = await decodeChipBuffer(buf, 'a.jpeg');
    expect(chip).toMatchObject({ width: 16, height: 16, channels: 1, format: 'jpeg', linear: false });
    for (const [y, x, v] of [[0, 0, 20], [0, 15, 100], [15, 0, 180], [12, 12, 240]]) {
      expect(Math.abs(chip.data[y * 16 + x] - v)).toBeLessThanOrEqual(1);
    }
  });
});

describe('TIFF', () => {
  const u8 = Array.from({ length: 5 * 4 }, (_, k) => (k * 37) % 256);
  const cases: [TiffCompression, boolean][] = [['none', true], ['packbits', true], ['lzw', true], ['deflate', true], ['none', false], ['packbits', false], ['lzw', false]];
  it.each(cases)('uint8 %s (little endian %s) decodes exactly', async (compression, littleEndian) => {
    const buf = buildTiff({ width: 5, height: 4, bands: 1, type: 'uint8', values: u8, compression, littleEndian, rowsPerStrip: 3 });
    const chip = await decodeChipBuffer(buf, 'u8.tif');
    expect(chip).toMatchObject({ width: 5, height: 4, channels: 1, format: 'tiff8', linear: false });
    expect(Array.from(chip.data)).toEqual(u8);
  });

  it('LZW handles long repetitive rows (dictionary codes, width changes)', async () => {
    const values = Array.from({ length: 64 * 40 }, (_, k) => ((k % 64) >> 3) * 30 + ((k >> 9) & 1));
    const buf = buildTiff({ width: 64, height: 40, bands: 1, type: 'uint8', values, compression: 'lzw' });
    expect(Array.from((await decodeChipBuffer(buf, 'lzw.tif')).data)).toEqual(values);
  });

  it.each([true, false])('float32 2-band (VH, VV) decodes exactly, little endian %s', async (littleEndian) => {
    const values = [0.001, 0.5, 0.25, 1e-5, 3.5, 0.125, 0.0625, 2];
    const buf = buildTiff({ width: 2, height: 2, bands: 2, type: 'float32', values, littleEndian, compression: littleEndian ? 'none' : 'deflate' });
    const chip = await decodeChipBuffer(buf, 'cal.tif');
    expect(chip).toMatchObject({ width: 2, height: 2, channels: 2, format: 'tiffFloat', linear: true });
    expect(Array.from(chip.data)).toEqual(Array.from(new Float32Array(values)));
    expect(chip.geo).toBeUndefined();
  });

  it('uint16 and NaN float samples', async () => {
    const u16 = await decodeChipBuffer(buildTiff({ width: 3, height: 1, bands: 1, type: 'uint16', values: [0, 513, 65535], littleEndian: false }), 'a.tif');
    expect(u16.format).toBe('tiff16');
    expect(Array.from(u16.data)).toEqual([0, 513, 65535]);
    const f = await decodeChipBuffer(buildTiff({ width: 2, height: 1, bands: 1, type: 'float32', values: [NaN, 0.5] }), 'b.tif');
    expect(Array.from(f.data)).toEqual([0, 0.5]);
  });

  it('computes the centre lon/lat from a tie point + pixel scale', async () => {
    const geo = { tiepoints: [0, 0, 0, 120.5, 31.25, 0], pixelScale: [0.001, 0.002, 0], modelType: 2 };
    const chip = await decodeChipBuffer(buildTiff({ width: 4, height: 4, bands: 1, type: 'uint8', values: new Array(16).fill(1), geo }), 'g.tif');
    expect(chip.geo!.lon).toBeCloseTo(120.502, 10);
    expect(chip.geo!.lat).toBeCloseTo(31.246, 10);
  });

  it('computes the centre from a model transformation and from a grid of tie points (PixelIsPoint)', async () => {
    const transform = [0.01, 0, 0, -70, 0, -0.01, 0, 45, 0, 0, 0, 0, 0, 0, 0, 1];
    const a = await decodeChipBuffer(buildTiff({ width: 10, height: 6, bands: 1, type: 'uint8', values: new Array(60).fill(0), geo: { transform } }), 't.tif');
    expect(a.geo!.lon).toBeCloseTo(-69.95, 10);
    expect(a.geo!.lat).toBeCloseTo(44.97, 10);
    // GCPs of an affine grid lon = 10 + 0.1 i + 0.02 j, lat = 50 − 0.05 j + 0.01 i; centre of PixelIsPoint 5×3 is (2, 1).
    const tie: number[] = [];
    for (const [i, j] of [[0, 0], [4, 0], [0, 2], [4, 2]]) tie.push(i, j, 0, 10 + 0.1 * i + 0.02 * j, 50 - 0.05 * j + 0.01 * i, 0);
    const b = await decodeChipBuffer(buildTiff({ width: 5, height: 3, bands: 1, type: 'uint8', values: new Array(15).fill(0), geo: { tiepoints: tie, modelType: 2, rasterType: 2 } }), 'gcp.tif');
    expect(b.geo!.lon).toBeCloseTo(10.22, 9);
    expect(b.geo!.lat).toBeCloseTo(49.97, 9);
  });

  it('gives no geo for a projected CRS', async () => {
    const geo = { tiepoints: [0, 0, 0, 500000, 4000000, 0], pixelScale: [10, 10, 0], modelType: 1 };
    const chip = await decodeChipBuffer(buildTiff({ width: 2, height: 2, bands: 1, type: 'uint8', values: [1, 2, 3, 4], geo }), 'utm.tif');
    expect(chip.geo).toBeUndefined();
  });
});

describe('MSTAR Phoenix', () => {
  const magnitude = [0.5, 1.25, 0.0078125, 2, 0.75, 3];
  it.each<Record<string, string>>([{}, { TargetType: 'bmp2_tank', TargetAz: '346.5', DesiredDepression: '17', MeasuredAimpointLongitude: '273.5', MeasuredAimpointLatitude: '34.25' }])(
    'reads the big-endian magnitude after a header of its own length (%#)',
    async (fields) => {
      const buf = buildPhoenix({ rows: 2, cols: 3, magnitude, fields });
      expect(detectChipFormat(buf)).toBe('mstar');
      const chip = await decodeChipBuffer(buf, 'HB00001.000');
      expect(chip).toMatchObject({ width: 3, height: 2, channels: 1, format: 'mstar', linear: true });
      expect(Array.from(chip.data)).toEqual(magnitude);
      expect(chip.meta!.NumberOfRows).toBe('2');
      if ('TargetType' in fields) {
        expect(chip.meta!.TargetType).toBe('bmp2_tank');
        expect(chip.meta!.TargetAz).toBe('346.5');
        expect(chip.geo).toEqual({ lat: 34.25, lon: -86.5 });
      }
    },
  );

  it('header lengths really differ between the two synthetic files', () => {
    const a = buildPhoenix({ rows: 1, cols: 1, magnitude: [1] });
    const b = buildPhoenix({ rows: 1, cols: 1, magnitude: [1], fields: { TargetType: 't72_tank' } });
    const len = (buf: Buffer): number => Number(parsePhoenixHeader(buf.toString('latin1')).PhoenixHeaderLength);
    expect(len(b) - len(a)).toBe('TargetType= t72_tank\n'.length);
  });

  it('rejects a truncated file and a size mismatch', async () => {
    const buf = buildPhoenix({ rows: 4, cols: 4, magnitude: new Array(16).fill(1) });
    await expect(decodeChipBuffer(buf.subarray(0, buf.length - 10), 'cut.000')).rejects.toThrow(/truncated MSTAR/);
    await expect(decodeChipBuffer(Buffer.concat([buf, Buffer.alloc(4)]), 'long.000')).rejects.toThrow(/does not match/);
    await expect(decodeChipBuffer(buf.subarray(0, 60), 'head.000')).rejects.toThrow(/EndofPhoenixHeader/);
  });
});

describe('bad input', () => {
  it('rejects empty, unknown, truncated and absurd files with a reason', async () => {
    await expect(decodeChipBuffer(Buffer.alloc(0), 'z.png')).rejects.toThrow('z.png: empty file');
    await expect(decodeChipBuffer(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), 'r.jpeg')).rejects.toThrow(/unknown format \(first bytes 01 02 03 04/);
    const good = png(8, 8, new Array(256).fill(200));
    await expect(decodeChipBuffer(good.subarray(0, good.length - 30), 't.png')).rejects.toThrow(/t\.png: corrupt or truncated PNG/);
    const big = buildTiff({ width: 2, height: 2, bands: 1, type: 'uint8', values: [1, 2, 3, 4], declaredWidth: 10000, declaredHeight: 10000 });
    await expect(decodeChipBuffer(big, 'big.tif')).rejects.toThrow('big.tif: image 10000×10000 exceeds the 4096 px side limit');
    const tif = buildTiff({ width: 8, height: 8, bands: 1, type: 'uint8', values: new Array(64).fill(7) });
    const cut = Buffer.from(tif);
    cut.writeUInt32LE(tif.length + 100, tif.indexOf(Buffer.from([0x11, 0x01, 0x04, 0x00])) + 8); // StripOffsets past the end
    await expect(decodeChipBuffer(cut, 'cut.tif')).rejects.toThrow(/truncated TIFF/);
    const j = jpeg.encode({ width: 16, height: 16, data: Buffer.alloc(16 * 16 * 4, 90) }, 90).data;
    await expect(decodeChipBuffer(j.subarray(0, j.length - 40), 'cut.jpeg')).rejects.toThrow(/cut\.jpeg: corrupt or truncated JPEG/);
    await expect(decodeChipBuffer(png(10, 3, new Array(120).fill(1)), 'wide.png', { maxSide: 8 })).rejects.toThrow('exceeds the 8 px side limit');
  });
});
