/** Saved models and classification rows as the API returns them (part of the contract). */

export interface ModelSummary {
  id: number;
  runId: number | null;
  runName: string | null;
  kind: 'student' | 'teacher' | 'online' | 'imported';
  dir: string;
  backbone: string;
  method: string | null;
  classes: string[];
  inputSize: number;
  channels: number;
  /** The intensity transform and normalisation the model was trained with (null: not recorded, models from before schema 2). */
  intensity: 'linear' | 'log' | 'db' | null;
  normalise: 'chip' | 'dataset' | 'none' | null;
  accuracy: number | null;
  createdAt: string;
}

export interface ClassificationRow {
  key: string;
  path: string;
  predicted: number;
  className: string;
  confidence: number;
  entropy: number;
  probs: number[];
  flagged: boolean;
  lat: number | null;
  lon: number | null;
  url: string;
}
