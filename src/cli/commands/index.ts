import type { Command } from '../command.js';
import { bracket } from './bracket.js';
import { calibrate } from './calibrate.js';
import { dataPreview } from './data-preview.js';
import { doctor } from './doctor.js';
import { evaluate } from './eval.js';
import { finetune } from './finetune.js';
import { fuse } from './fuse.js';
import { info } from './info.js';
import { merge } from './merge.js';
import { ops } from './ops.js';
import { serve } from './serve.js';
import { stacks } from './stacks.js';
import { tonemap } from './tonemap.js';
import { train } from './train.js';

/** Every sub-command, in the order `bracketeer --help` lists them. */
export const commands: readonly Command[] = [
  info,
  calibrate,
  merge,
  fuse,
  tonemap,
  ops,
  dataPreview,
  bracket,
  stacks,
  train,
  finetune,
  evaluate,
  doctor,
  serve,
];
