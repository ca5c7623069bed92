/** runBenchmark on tiny settings: report shape, per-backend entries, cpu limits, skips, no leaks. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { currentBackendInfo, initBackend } from '../../../main/engine/backend.js';
import { runBenchmark } from '../../../main/engine/bench.js';

describe('runBenchmark', () => {
  it('measures wasm and cpu on a tiny SARNet, restores the backend, leaks nothing, and is plain JSON', async () => {
    const before = await initBackend('wasm');
    await runBenchmark({ backends: ['wasm'], models: ['sarnet'], sizes: [16], batch: 2, steps: 1 }); // warm caches
    const tensors = tf.memory().numTensors;
    const lines: string[] = [];
    const report = await runBenchmark({ backends: ['tensorflow', 'wasm', 'cpu'], models: ['sarnet'], sizes: [16], batch: 4, steps: 2, onLog: (l) => lines.push(l) });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(currentBackendInfo()).toBe(before);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report.options).toEqual({ backends: ['tensorflow', 'wasm', 'cpu'], models: ['sarnet'], sizes: [16], batch: 4, steps: 2, quick: false });
    expect(report.backends.map((b) => b.name)).toEqual(['wasm', 'cpu']);
    expect(report.results.map((r) => `${r.backend}/${r.model}@${r.size}`)).toEqual(['wasm/sarnet@16', 'cpu/sarnet@16']);
    for (const r of report.results) {
      expect(r.steps).toBe(2);
      expect(r.train.chipsPerSec).toBeCloseTo((4 * 1000) / r.train.medianMs, 0);
      expect(r.train.minMs).toBeLessThanOrEqual(r.train.medianMs);
      expect(r.inference.chipsPerSec).toBeGreaterThan(0);
      expect(r.auraKd).not.toBeNull();
      expect(r.auraKdToCeRatio).toBeCloseTo((r.auraKd as { medianMs: number }).medianMs / r.train.medianMs, 1);
    }
    expect(report.results[0].wasmHeapBytes).toBeGreaterThan(16 * 2 ** 20);
    expect(report.results[1].wasmHeapBytes).toBeNull();
    expect(report.skipped.map((s) => s.backend)).toContain('tensorflow');
    expect(report.peakRssBytes).toBeGreaterThanOrEqual(report.results[0].rssBytes);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^wasm sarnet@16 b4: train [\d.]+ chips\/s, infer [\d.]+ chips\/s, AURA-KD step [\d.]+× CE$/);
  });

  it('skips a wasm entry whose batch would not fit the 4 GiB heap instead of hanging', async () => {
    const report = await runBenchmark({ backends: ['wasm'], models: ['vgg11'], sizes: [64], batch: 128, steps: 1 });
    expect(report.results).toEqual([]);
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]).toMatchObject({ backend: 'wasm', model: 'vgg11', size: 64 });
    expect(report.skipped[0].reason).toMatch(/^batch 128 needs ~\d+ MiB\+ of the 4 GiB wasm heap \(fits: \d+\)$/);
  });

  it('rejects bad options with one-line errors', async () => {
    await expect(runBenchmark({ models: ['alexnet' as never] })).rejects.toThrow("runBenchmark: unknown backbone 'alexnet'");
    await expect(runBenchmark({ sizes: [8] })).rejects.toThrow('runBenchmark: sizes must be integers in [16, 512], got 8');
    await expect(runBenchmark({ batch: 0 })).rejects.toThrow('runBenchmark: batch must be a positive integer, got 0');
  });
});
