import { detectStacks } from '../../core/stacks/detect-stacks.js';
import { expandPhotoPaths, readStackCandidates } from '../../core/stacks/read-candidates.js';
import type { Command } from '../command.js';
import { stringOption } from '../frames.js';
import { UsageError } from '../usage-error.js';

function formatEv(ev: number): string {
  return `${ev >= 0 ? '+' : '−'}${Math.abs(ev).toFixed(2)}`;
}

export const stacks: Command = {
  name: 'stacks',
  summary: 'find bracket stacks among photos from their EXIF',
  usage: `Usage: bracketeer stacks <files or folders…> [--gap SECONDS] [--json]

Groups photos into bracket stacks: same camera body, lens and pixel size, captured one after
the other (each frame within --gap of the previous one, sub-second aware) with differing
exposures (ExposureTime with FNumber and ISO, or else ExposureBiasValue). Frames without usable
exposure data or capture time are listed as excluded, never guessed.

  --gap SECONDS        largest time between two frames of a stack (default 2)`,
  options: { gap: { type: 'string' } },
  async run(args, ctx) {
    if (args.positionals.length === 0) throw new UsageError('expects files or folders');
    const gapRaw = stringOption(args, 'gap') ?? '2';
    const gap = Number(gapRaw);
    if (!Number.isFinite(gap) || gap <= 0) {
      throw new UsageError(`--gap must be a positive number of seconds, got "${gapRaw}"`);
    }
    const files = await expandPhotoPaths(args.positionals);
    ctx.onProgress({ fraction: 0, message: `reading ${files.length} file(s)` });
    const { candidates, unreadable } = await readStackCandidates(files);
    const found = detectStacks(candidates, { maxGapMs: gap * 1000 });
    const excluded = [...unreadable, ...found.excluded];
    const lines: string[] = [];
    found.stacks.forEach((s, i) => {
      lines.push(
        `stack ${i + 1}: ${s.frames.length} frames, ${s.camera}, ${s.width}×${s.height} (${s.basis})`,
      );
      for (const f of s.frames) lines.push(`  ${formatEv(f.relativeEv)} EV  ${f.file}`);
    });
    if (found.stacks.length === 0) lines.push('no stacks found');
    if (found.singles.length > 0) lines.push(`${found.singles.length} single photo(s)`);
    for (const e of excluded) lines.push(`excluded ${e.file}: ${e.reason}`);
    return {
      text: lines.join('\n'),
      data: { stacks: found.stacks, singles: found.singles, excluded },
    };
  },
};
