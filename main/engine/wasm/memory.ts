/** placeholder for compile during profiling */
export const WASM_HEAP_LIMIT_BYTES = 4 * 1024 ** 3;
export function estimateTrainingBytesPerChip(): number { return 0; }
export function suggestBatchSize(): number { return 0; }
