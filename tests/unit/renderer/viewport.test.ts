/** Zoom/pan geometry with answers worked out by hand. */
import { describe, expect, it } from 'vitest';
import {
  clampView,
  fitView,
  panBy,
  visibleRegion,
  zoomBy,
  zoomTo,
} from '../../../src/renderer/src/lib/viewport.js';

describe('viewport', () => {
  it('fits and centres, never enlarging past 100 %', () => {
    // 2000×1000 into 1024×524 with 12 px margins: min(1000/2000, 500/1000) = 0.5
    expect(fitView(2000, 1000, 1024, 524)).toEqual({ scale: 0.5, x: 12, y: 12 });
    // a small image stays at 1, centred
    expect(fitView(100, 50, 300, 250)).toEqual({ scale: 1, x: 100, y: 100 });
  });

  it('zooms about the cursor: the point under it stays put', () => {
    const v = { scale: 0.5, x: 12, y: 12 };
    const z = zoomTo(v, 2, 112, 62); // content point (200, 100)
    expect(z).toEqual({ scale: 2, x: 112 - 400, y: 62 - 200 });
    const back = zoomBy(z, 0.25, 112, 62);
    expect(back.scale).toBeCloseTo(0.5, 12);
    expect(back.x).toBeCloseTo(12, 9);
    expect(back.y).toBeCloseTo(12, 9);
  });

  it('pans and keeps part of the image on screen', () => {
    expect(panBy({ scale: 1, x: 0, y: 0 }, 5, -3)).toEqual({ scale: 1, x: 5, y: -3 });
    // 100×100 image at 1:1 in a 400×300 viewport, pushed far right/down: 48 px must stay visible
    expect(clampView({ scale: 1, x: 1000, y: 1000 }, 100, 100, 400, 300)).toEqual({
      scale: 1,
      x: 352,
      y: 252,
    });
    expect(clampView({ scale: 1, x: -1000, y: -1000 }, 100, 100, 400, 300)).toEqual({
      scale: 1,
      x: -52,
      y: -52,
    });
  });

  it('reports the visible region in content pixels', () => {
    // 2× zoom, content origin at (-100, -50): screen 0…400 covers content 50…250
    expect(visibleRegion({ scale: 2, x: -100, y: -50 }, 1000, 1000, 400, 300)).toEqual({
      x: 50,
      y: 25,
      width: 200,
      height: 150,
    });
    expect(visibleRegion({ scale: 1, x: 500, y: 0 }, 100, 100, 400, 300)).toBeNull();
  });
});
