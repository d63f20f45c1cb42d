/** Virtual brackets written to disk (`bracketeer bracket`). */
export {
  evLabel,
  frameFileName,
  writeVirtualBracket,
  type BracketFormat,
  type MergeResponseUsed,
  type VirtualBracketOptions,
  type VirtualBracketResult,
} from './virtual-bracket.js';
export { calibrateOnCodes, mergeCodeFrames, toCodes, type CodeFrame } from './stream-merge.js';
