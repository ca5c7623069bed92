/** Optional checks on the real SAR data in ../shared/datasets (skipped when the folder is absent). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeChipFile } from '../../../main/data/decodeChip.js';
import { importFolder } from '../../../main/data/importFolder.js';
import { preprocessChip } from '../../../main/data/preprocess.js';
import type { ImportReport } from '../../../main/data/types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const datasets = path.resolve(repoRoot, '../shared/datasets');
const present = existsSync(path.join(datasets, 'README.md'));

function countBy(report: ImportReport, split?: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of report.samples) if (!split || s.split === split) out[s.className] = (out[s.className] ?? 0) + 1;
  return out;
}

function correlation(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < n; k++) {
    ab += (a[k] - ma) * (b[k] - mb);
    aa += (a[k] - ma) ** 2;
    bb += (b[k] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe.skipIf(!present)('real data (../shared/datasets)', () => {
  it('imports MSTAR SOC train: 2746 JPEG chips, 10 classes, SOC counts and native sizes, nothing skipped', async () => {
    const report = await importFolder(path.join(datasets, 'mstar-soc/train'), { seed: 1 });
    expect(report.layout).toBe('class');
    expect(report.skipped).toEqual([]);
    expect(report.classes).toEqual(['2S1', 'BMP2', 'BRDM_2', 'BTR60', 'BTR70', 'D7', 'T62', 'T72', 'ZIL131', 'ZSU_23_4']);
    expect(countBy(report)).toEqual({ '2S1': 299, BMP2: 233, BRDM_2: 298, BTR60: 256, BTR70: 233, D7: 299, T62: 298, T72: 232, ZIL131: 299, ZSU_23_4: 299 });
    expect(new Set(report.samples.map((s) => s.key)).size).toBe(2746);
    const sizeOf = (cls: string): string[] => [...new Set(report.samples.filter((s) => s.className === cls).map((s) => `${s.width}x${s.height}`))];
    expect(sizeOf('2S1')).toEqual(['158x158']);
    expect(sizeOf('BRDM_2')).toEqual(['128x129']);
    expect(sizeOf('ZIL131')).toEqual(['192x193']);
    expect(report.samples.every((s) => s.format === 'jpeg' && s.channels === 1)).toBe(true);
    expect(countBy(report, 'test')).toMatchObject({ '2S1': 45, T72: 35 });
  }, 60_000);

  it('reads the native MSTAR Phoenix files (128×128, SLICY 54×54) in step with their JPEG versions', async () => {
    const report = await importFolder(path.join(datasets, 'mstar-raw-sample'), { valFraction: 0, testFraction: 0 });
    expect(report.skipped).toEqual([]);
    expect(report.samples.map((s) => `${s.key} ${s.width}x${s.height} ${s.format}`)).toEqual([
      'BMP2/HB03787.000 128x128 mstar',
      'BTR70/HB03787.004 128x128 mstar',
      'SLICY/HB14931.015 54x54 mstar',
      'T72/HB03787.015 128x128 mstar',
    ]);
    const raw = await decodeChipFile(path.join(datasets, 'mstar-raw-sample/BMP2/HB03787.000'));
    expect(raw.meta).toMatchObject({ TargetType: 'bmp2_tank', PhoenixHeaderLength: '01976', DesiredDepression: '17' });
    expect(Math.max(...raw.data)).toBeGreaterThan(0.5);
    expect(Math.max(...raw.data)).toBeLessThan(2.5);
    const jpg = await decodeChipFile(path.join(datasets, 'mstar-soc/train/BMP2/hb03787.jpeg'));
    const cfg = { size: 128, fit: 'crop', intensity: 'linear', normalise: 'none', channels: 1 } as const;
    expect(correlation(preprocessChip(raw, cfg), preprocessChip(jpg, cfg))).toBeGreaterThan(0.85);
  });

  it('imports OpenSARShip uint8 (108 train / 25 test) and calibrated float32 with 1–2 bands', async () => {
    const counts = { train: { BulkCarrier: 22, ContainerShip: 12, Tanker: 74 }, test: { BulkCarrier: 5, ContainerShip: 3, Tanker: 17 } };
    const u8 = await importFolder(path.join(datasets, 'opensarship-3'), { valFraction: 0 });
    expect(u8.layout).toBe('split/class');
    expect(u8.skipped).toEqual([]);
    expect(countBy(u8, 'train')).toEqual(counts.train);
    expect(countBy(u8, 'test')).toEqual(counts.test);
    expect(u8.samples.every((s) => s.format === 'tiff8' && s.channels === 1 && s.width === s.height && s.width >= 17 && s.width <= 157)).toBe(true);

    const cal = await importFolder(path.join(datasets, 'opensarship-3-cal'), { valFraction: 0, groupBy: 'scene' });
    expect(cal.skipped).toEqual([]);
    expect(countBy(cal, 'train')).toEqual(counts.train);
    expect(countBy(cal, 'test')).toEqual(counts.test);
    expect(cal.samples.every((s) => s.format === 'tiffFloat')).toBe(true);
    expect(cal.samples.filter((s) => s.channels === 2)).toHaveLength(42);
    expect(cal.samples.filter((s) => s.channels === 1)).toHaveLength(91);
    expect(new Set(cal.samples.map((s) => s.group)).size).toBe(6);
    expect(cal.samples.filter((s) => s.channels === 2).every((s) => /_1SDV(_|$)/.test(s.group!))).toBe(true);

    const carved = await importFolder(path.join(datasets, 'opensarship-3-cal'), { valFraction: 0.15, seed: 1 });
    expect(countBy(carved, 'val')).toEqual({ BulkCarrier: 3, ContainerShip: 2, Tanker: 11 });
  });
});
