/** Shared data types of the SAR chip pipeline (import → preprocess → tensors). */

export type Split = 'train' | 'val' | 'test';
export const SPLITS: readonly Split[] = ['train', 'val', 'test'];

/** Which decoder read a file. */
export type ChipFormat = 'png' | 'jpeg' | 'tiff8' | 'tiff16' | 'tiffFloat' | 'mstar';

/** A decoded chip before preprocessing: raw intensities, interleaved HWC. */
export interface RawChip {
  width: number;
  height: number;
  /** 1 (magnitude / VV) or 2 (VH, VV). */
  channels: number;
  /** width*height*channels values, row-major, channels interleaved (HWC). */
  data: Float32Array;
  format: ChipFormat;
  /** True when values are linear radar magnitude/sigma0 (MSTAR, float TIFF), false for 8-bit display images. */
  linear: boolean;
  /** Centre coordinates when the file carries them (GeoTIFF tie points). */
  geo?: { lat: number; lon: number };
  /** Format-specific header fields (e.g. MSTAR Phoenix: TargetType, TargetAz, DesiredDepression). */
  meta?: Record<string, string>;
}

/** One chip of a dataset, as the importer found it (no pixel data). */
export interface SampleRecord {
  /** Stable unique key: the path relative to the dataset root with '/' separators,
   *  e.g. 'train/T72/hb03787.jpeg' (file names repeat across classes in MSTAR, so never the bare name). */
  key: string;
  /** Absolute path of the file. */
  path: string;
  className: string;
  /** Index into the dataset's sorted class list. */
  label: number;
  /** Split given by the folder layout, or assigned by `assignSplits`. */
  split: Split;
  width: number;
  height: number;
  channels: number;
  format: ChipFormat;
  /** File size in bytes (part of the dataset's content hash). */
  bytes?: number;
  /** Keeps related chips on one side of a split (scene, vessel, serial) when known. */
  group?: string;
  geo?: { lat: number; lon: number };
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ImportReport {
  root: string;
  /** '<root>/<class>/*' or '<root>/<split>/<class>/*'. */
  layout: 'class' | 'split/class';
  classes: string[];
  samples: SampleRecord[];
  skipped: SkippedFile[];
  /** sha256 over sorted (key, size, label) — identifies the dataset version. */
  contentHash: string;
}

/** How every chip is brought to one tensor shape. Stored with the dataset and every run/model. */
export interface PreprocessConfig {
  /** Output side length in pixels (square). */
  size: number;
  /** 'crop': centre crop, pad with the chip's median where smaller. Never a per-class resize. */
  fit: 'crop';
  /** Intensity transform applied before normalisation. 'db' = 10·log10(max(x, eps)), 'log' = ln(1 + x). */
  intensity: 'linear' | 'log' | 'db';
  /** 'chip': each chip to zero mean / unit std; 'dataset': the stored mean/std per channel; 'none'. */
  normalise: 'chip' | 'dataset' | 'none';
  /** Per-channel statistics for normalise='dataset' (computed on the train split at import). */
  mean?: number[];
  std?: number[];
  /** Number of channels fed to the model: 1 (magnitude / VV) or 2 (VH, VV; 1-band chips are duplicated). */
  channels: 1 | 2;
}

/** Training-time augmentation; everything off by default. */
export interface AugmentConfig {
  /** Random shift up to ±shift pixels (wrap-free: shifted in from a larger crop or edge-padded). */
  shift: number;
  /** Random horizontal flip (SAR chips: azimuth mirror; off by default since it changes shadow geometry). */
  flip: boolean;
  /** Multiplicative gamma speckle with this many looks (0 = off). */
  speckleLooks: number;
}

/** Preprocessed chips ready for the engine: NHWC float32. */
export interface ChipTensorSet {
  /** n*size*size*channels values, NHWC. */
  x: Float32Array;
  /** Class index per chip. */
  y: Int32Array;
  /** SampleRecord.key per chip (same order). */
  keys: string[];
  n: number;
  size: number;
  channels: number;
  classes: string[];
}
