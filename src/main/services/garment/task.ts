import type { GarmentManifest } from '../../../shared/packs/manifest';
import { defineTask, type SessionInfo, type SessionLoadOptions } from '../../workers/protocol';
import type { GraphKey } from './graphs';
import type { GarmentRun, PreparedGarmentRequest } from './pipeline';

/** What the worker needs of a loaded pack: its manifest's garment part and where its sessions are. */
export interface GarmentPackRef {
  id: string;
  garment: GarmentManifest['garment'];
  schedulerConfig: Record<string, unknown>;
  /** The worker session of each graph, as loadGarmentPack loaded them (none for a staged pack). */
  sessionIds: Partial<Record<GraphKey, string>>;
  /**
   * Staged loading (a real-size pack on a CPU, see worker-task.ts): no session stays loaded between
   * renders; the task loads each stage's graphs from these files and releases them before the next.
   * The signatures are the ones loadGarmentPack checked against the manifest.
   */
  staged?: StagedGraphs;
}

export interface StagedGraphs {
  files: Partial<Record<GraphKey, string>>;
  options: SessionLoadOptions;
  signatures: Partial<Record<GraphKey, SessionInfo>>;
}

export interface GarmentTaskParams {
  /**
   * The GarmentPackRef as JSON. One string crosses the process boundary in microseconds; the
   * manifest's hundreds of small objects took half a millisecond to clone on every render.
   */
  packJson: string;
  request: PreparedGarmentRequest;
}

/** Reported after every denoising step. */
export interface GarmentProgress {
  step: number;
  total: number;
}

/** The garment pipeline as one worker request: the main side sends this, worker-task.ts runs it. */
export const GARMENT_TASK = defineTask<GarmentTaskParams, GarmentProgress, GarmentRun>('garment.generate');
