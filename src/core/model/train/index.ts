/** Training of the multi-exposure model: loop, schedule, checkpoints, validation, log. */
export {
  CHECKPOINT_FORMAT,
  checkpointPointer,
  readCheckpointState,
  restoreCheckpoint,
  saveCheckpoint,
  type CheckpointState,
} from './checkpoint.js';
export { JsonlLog } from './log.js';
export { ScheduledAdam, type NamedArray } from './optimizer.js';
export { learningRateAt, validateSchedule, type LrSchedule } from './schedule.js';
export {
  DEFAULT_TRAIN_SETTINGS,
  resolveConfig,
  scheduleOf,
  validateSettings,
  type TrainSettings,
} from './settings.js';
export { readTensorFile, writeTensorFile } from './tensor-file.js';
export { trainModel, type TrainEvent, type TrainOptions, type TrainResult } from './trainer.js';
export { validateModel, type ValidationScore } from './validate.js';
