/** Public API of the SAR chip data pipeline (import → splits → preprocess → tensors; demo data). */
export * from './types.js';
export { createRng, randomGamma, randomNormal, shuffleInPlace, type Rng } from './random.js';
export { decodeChipBuffer, decodeChipFile, detectChipFormat, ChipDecodeError, DEFAULT_MAX_SIDE, type DecodeOptions, type DetectedFormat } from './decodeChip.js';
export { importFolder, splitOfFolder, type ImportOptions } from './importFolder.js';
export { listChipFiles, toKey } from './listChipFiles.js';
export { groupKeyFor, type GroupBy } from './groupKey.js';
export { assignSplits, carveValidation, type SplitOptions } from './splits.js';
export { datasetContentHash } from './contentHash.js';
export { preprocessChip, validatePreprocessConfig, fitAndTransform, STD_FLOOR, DB_FLOOR } from './preprocess.js';
export { computeChannelStats, computeSplitStats, type ChannelStats } from './channelStats.js';
export { loadTensorSets, loadChipsForInference, type LoadOptions, type InferenceChips } from './tensorSets.js';
export { augmentBatch, isAugmentOff, validateAugmentConfig } from './augment.js';
export { generateDemoChip, DEMO_CLASSES, type DemoClass } from './demo/demoChips.js';
export { writeDemoDataset, encodeGrayPng, demoChipRng, demoSplitOf, DEMO_MARKER, type DemoOptions, type DemoDataset } from './demo/demoDataset.js';
