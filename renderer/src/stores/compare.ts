/** Side-by-side comparison of 2–8 runs (runs.compare). */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api/client.js';
import type { CompareResult } from '../api/types.js';
import type { OverlayMetric } from '../charts/curveCharts.js';
import { tauSweepPoints } from '../lib/compare.js';
import { guarded } from './guard.js';

export const useCompareStore = defineStore('compare', () => {
  const runIds = ref<number[]>([]);
  const result = shallowRef<CompareResult | null>(null);
  const overlay = ref<OverlayMetric>('valAccuracy');
  /** Indices into `evaluated` of the two runs whose confusion matrices are differenced (B − A). */
  const diffPair = ref<[number, number]>([0, 1]);
  const error = ref<string | null>(null);
  const loading = ref(false);

  const tauPoints = computed(() => (result.value ? tauSweepPoints(result.value.runs) : []));
  const evaluated = computed(() => (result.value ? result.value.runs.filter((r) => r.evaluation !== null) : []));

  async function load(ids: number[]): Promise<void> {
    const unique = [...new Set(ids)].filter((id) => Number.isInteger(id) && id > 0);
    runIds.value = unique;
    result.value = null;
    if (unique.length < 2) {
      error.value = 'Pick at least two runs to compare.';
      return;
    }
    error.value = null;
    await guarded(error, loading, async () => {
      const r = await api().call('runs.compare', { runIds: unique });
      if (runIds.value.join(',') === unique.join(',')) {
        result.value = r;
        const withEval = r.runs.filter((x) => x.evaluation !== null).length;
        diffPair.value = [0, Math.min(1, Math.max(0, withEval - 1))];
      }
    });
  }

  return { runIds, result, overlay, diffPair, error, loading, tauPoints, evaluated, load };
});
