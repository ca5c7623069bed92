/**
 * Models on disk in the standard TensorFlow.js layers format (model.json + weights.bin, loadable by
 * tf.loadLayersModel anywhere) plus a sidecar aura-model.json describing how to feed the model.
 * Plain @tensorflow/tfjs has no file:// handler, so this module brings its own tf.io handlers.
 * Every save is atomic (temp directory + rename).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ChipTensorSet, PreprocessConfig } from '../data/types.js';
import type { Backbone, Method } from './config.js';
import { writeDirAtomic } from './atomicDir.js';
import { predictLogits } from './inference.js';
import { argMax } from './metrics.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const SIDECAR = 'aura-model.json';

export interface ModelMeta {
  format: 'aura-kd-model';
  version: 1;
  backbone: Backbone;
  classes: string[];
  preprocess: PreprocessConfig;
  inputSize: number;
  channels: number;
  /** How this model was trained (an offline teacher is trained with 'ce'). */
  method: Method;
  createdAt: string;
  metrics?: Record<string, number | null>;
}

export type ModelMetaInput = Omit<ModelMeta, 'format' | 'version' | 'createdAt'> & { createdAt?: string };

/** A tf.io save handler writing model.json + weights.bin into `dir` (which must exist). */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('modelStore: binary model topology is not supported');
      const weightData = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as {},
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(path.join(dir, WEIGHTS_BIN), Buffer.from(weightData));
      await writeFile(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON({ ...artifacts, weightData }) };
    },
  };
}

/** A tf.io load handler reading model.json and its weight files from `dir`. */
export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async (): Promise<tf.io.ModelArtifacts> => {
      const modelJson = JSON.parse(await readFile(path.join(dir, MODEL_JSON), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = await Promise.all(
          manifest.flatMap((group) => group.paths).map(async (p) => {
            const b = await readFile(path.join(dir, p));
            return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
          }),
        );
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

/** Save `model` and its sidecar to `dir` atomically (an existing model there is replaced). */
export async function saveModel(model: tf.LayersModel, dir: string, meta: ModelMetaInput): Promise<ModelMeta> {
  const full: ModelMeta = { format: 'aura-kd-model', version: 1, ...meta, createdAt: meta.createdAt ?? new Date().toISOString() };
  await writeDirAtomic(dir, async (tmp) => {
    await model.save(fileSaveHandler(tmp));
    await writeFile(path.join(tmp, SIDECAR), JSON.stringify(full, null, 2));
  });
  return full;
}

/** Read and check a model directory's sidecar. */
export async function readModelMeta(dir: string): Promise<ModelMeta> {
  let raw: string;
  try {
    raw = await readFile(path.join(dir, SIDECAR), 'utf8');
  } catch {
    throw new Error(`not an AURA-KD model directory (no ${SIDECAR}): ${dir}`);
  }
  const meta = JSON.parse(raw) as ModelMeta;
  if (meta.format !== 'aura-kd-model') throw new Error(`${path.join(dir, SIDECAR)}: format is '${String(meta.format)}', expected 'aura-kd-model'`);
  if (meta.version !== 1) throw new Error(`${path.join(dir, SIDECAR)}: unsupported version ${String(meta.version)}`);
  return meta;
}

/** Load a saved model and its sidecar. */
export async function loadModel(dir: string): Promise<{ model: tf.LayersModel; meta: ModelMeta }> {
  const meta = await readModelMeta(dir);
  const model = await tf.loadLayersModel(fileLoadHandler(dir));
  const shape = model.inputs[0].shape;
  if (shape[1] !== meta.inputSize || shape[3] !== meta.channels) {
    model.dispose();
    throw new Error(`${dir}: model input ${shape[1]}×${shape[2]}×${shape[3]} disagrees with ${SIDECAR} (${meta.inputSize}, ${meta.channels} channels)`);
  }
  return { model, meta };
}

export interface Classification {
  /** Class probabilities per chip (softmax, τ = 1). */
  probs: number[][];
  /** Arg-max class per chip. */
  predicted: number[];
  /** Normalised entropy of each chip's probabilities, in [0, 1]. */
  entropy: number[];
}

/** Classify preprocessed chips with a loaded model (batched, tidy; one read of the results at the end). */
export function classifyTensorSet(model: tf.LayersModel, meta: ModelMeta, x: ChipTensorSet, batchSize = 64): Classification {
  if (x.size !== meta.inputSize || x.channels !== meta.channels) {
    throw new Error(`chips are ${x.size}×${x.size}×${x.channels}, the model needs ${meta.inputSize}×${meta.inputSize}×${meta.channels}`);
  }
  const c = meta.classes.length;
  const [probs, entropy] = tf.tidy(() => {
    const logits = predictLogits(model, x, batchSize);
    const logP = tf.logSoftmax(logits);
    const h = tf.div(tf.neg(tf.sum(tf.mul(tf.exp(logP), logP), -1)), Math.log(c));
    return [tf.exp(logP).dataSync() as Float32Array, h.dataSync() as Float32Array];
  });
  const out: Classification = { probs: [], predicted: [], entropy: Array.from(entropy) };
  for (let i = 0; i < x.n; i++) {
    const row = Array.from(probs.subarray(i * c, (i + 1) * c));
    out.probs.push(row);
    out.predicted.push(argMax(row));
  }
  return out;
}

