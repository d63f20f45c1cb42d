/**
 * Training checkpoints. Layout of a run folder:
 *
 *   checkpoint.json                      the last good checkpoint (written last: the commit point)
 *   checkpoints/step-000400/model.*      weights (nn/weights-io, SHA-256 verified)
 *   checkpoints/step-000400/optimizer.*  Adam iteration count and moments
 *   best/model.*                         weights with the best validation score so far
 *   train-log.jsonl                      one JSON object per logged step / validation
 *
 * Every file is written atomically and `checkpoint.json` only after the files it names, so a run
 * killed at any moment resumes from the last complete checkpoint. Older step folders are pruned.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import type { MultiExposureModel } from '../architectures/multi-exposure/model.js';
import { loadWeights, saveWeights } from '../nn/weights-io.js';
import type { ScheduledAdam } from './optimizer.js';
import { readTensorFile, writeTensorFile } from './tensor-file.js';

/** Format id of checkpoint.json. */
export const CHECKPOINT_FORMAT = 'bracketeer-checkpoint';

/** What checkpoint.json holds. `settings` is the run's configuration (checked on resume). */
export interface CheckpointState {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: 1;
  /** optimisation steps done */
  readonly step: number;
  /** training samples consumed (the data stream resumes here) */
  readonly samplesConsumed: number;
  /** seconds spent training, summed over sessions */
  readonly trainSeconds: number;
  /** best validation so far: step and mean PSNR over the validation offsets (dB) */
  readonly best: { readonly step: number; readonly meanPsnr: number } | null;
  /** folder of this checkpoint, relative to the run folder */
  readonly folder: string;
  readonly savedAt: string;
  readonly settings: Record<string, unknown>;
}

/** Path of checkpoint.json in a run folder. */
export function checkpointPointer(runDir: string): string {
  return path.join(runDir, 'checkpoint.json');
}

/** Reads checkpoint.json, or null when the run folder has none. */
export async function readCheckpointState(runDir: string): Promise<CheckpointState | null> {
  const file = checkpointPointer(runDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InvalidInputError(`${file}: cannot read (${(err as Error).message})`);
  }
  let state: CheckpointState;
  try {
    state = JSON.parse(text) as CheckpointState;
  } catch {
    throw new InvalidInputError(`${file}: not valid JSON`);
  }
  if (state.format !== CHECKPOINT_FORMAT || state.version !== 1) {
    throw new InvalidInputError(`${file}: not a ${CHECKPOINT_FORMAT} v1 file`);
  }
  return state;
}

/**
 * Writes the model and optimizer of `state.step`, then checkpoint.json, then prunes all but the
 * newest `keep` step folders.
 */
export async function saveCheckpoint(
  runDir: string,
  model: MultiExposureModel,
  optimizer: ScheduledAdam,
  state: Omit<CheckpointState, 'format' | 'version' | 'folder' | 'savedAt'>,
  keep = 2,
): Promise<CheckpointState> {
  const folder = path.join('checkpoints', `step-${String(state.step).padStart(6, '0')}`);
  const abs = path.join(runDir, folder);
  await mkdir(abs, { recursive: true });
  await saveWeights(path.join(abs, 'model'), model.params, {
    config: model.config,
    step: state.step,
  });
  const opt = await optimizer.exportState();
  await writeTensorFile(path.join(abs, 'optimizer'), opt.slots, { iterations: opt.iterations });
  const full: CheckpointState = {
    format: CHECKPOINT_FORMAT,
    version: 1,
    ...state,
    folder,
    savedAt: new Date().toISOString(),
  };
  await writeFileAtomic(
    checkpointPointer(runDir),
    new TextEncoder().encode(`${JSON.stringify(full, null, 1)}\n`),
  );
  await pruneCheckpoints(runDir, folder, keep);
  return full;
}

async function pruneCheckpoints(runDir: string, current: string, keep: number): Promise<void> {
  const dir = path.join(runDir, 'checkpoints');
  const names = (await readdir(dir)).filter((n) => /^step-\d+$/.test(n)).sort();
  const currentName = path.basename(current);
  const old = names.filter((n) => n !== currentName).slice(0, Math.max(0, names.length - keep));
  for (const n of old) await rm(path.join(dir, n), { recursive: true, force: true });
}

/**
 * Loads the weights and optimizer state named by `state` into a freshly built model and a fresh
 * optimizer (one that has made no update yet).
 */
export async function restoreCheckpoint(
  runDir: string,
  state: CheckpointState,
  model: MultiExposureModel,
  optimizer: ScheduledAdam,
): Promise<void> {
  const abs = path.join(runDir, state.folder);
  await loadWeights(path.join(abs, 'model.json'), model.params);
  const { arrays, meta } = await readTensorFile(path.join(abs, 'optimizer'));
  if (arrays.length > 0) {
    const iterations = Number(meta?.iterations ?? state.step);
    await optimizer.importState({ iterations, slots: arrays });
  }
}
