/** The spatial hold-out of a fine-tuning stack: its right side is never trained on. */
import { InvalidInputError } from '../../errors.js';
import type { Rect } from '../../image/tiles.js';

/**
 * The held-out rectangle: the rightmost ⌈width·fraction⌉ columns, full height. For fraction 0.5
 * it is exactly eval's `rightHalf` (columns ⌊width/2⌋…width−1), so the fine-tune's validation
 * and `bracketeer eval --right-half` score the same pixels.
 * @param fraction - share of the width held out, in (0, 1)
 * @throws InvalidInputError when the fraction leaves no column on either side
 */
export function heldOutRegion(width: number, height: number, fraction: number): Rect {
  const held = Math.ceil(width * fraction);
  if (!(fraction > 0 && fraction < 1) || held < 1 || held >= width) {
    throw new InvalidInputError(
      `hold-out fraction ${fraction} of a ${width}-pixel-wide stack leaves no training or no held-out columns`,
    );
  }
  return { x: width - held, y: 0, width: held, height };
}
