// Screenshots of the app for the README (docs/screenshots/*.png), taken in Debian's chromium
// against `bracketeer serve` with the shipped model. The photos are views of CC0 Poly Haven HDR
// maps from ../shared/data/hdr (tone-mapped, cropped, given camera EXIF), so the images in the
// README carry no licence beyond CC0. Needs: npm run build:cli && npm run build:renderer.
//
//   node scripts/readme-screenshots.mjs [--out docs/screenshots]
/* global document -- used inside page.waitForFunction callbacks, which run in the browser */
import { spawn, execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import sharp from 'sharp';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '..');
const HDR = resolve(REPO, '../shared/data/hdr/polyhaven-drei');
const outArg = process.argv.indexOf('--out');
const OUT = resolve(REPO, outArg > 0 ? process.argv[outArg + 1] : 'docs/screenshots');
const CLI = join(REPO, 'bin/bracketeer.js');

/** A "photo": the middle of an equirectangular map, tone-mapped, with camera EXIF. */
async function makePhoto(hdr, file, { exposure = 0, op = 'drago03', shutter, time, subSec }) {
  const full = `${file}.full.png`;
  await run(process.execPath, [
    CLI,
    'tonemap',
    join(HDR, hdr),
    '-o',
    full,
    '--op',
    op,
    '--exposure',
    String(exposure),
  ]);
  const meta = await sharp(full).metadata();
  const w = Math.round(meta.width * 0.42);
  const h = Math.round(w / 1.5);
  await sharp(full)
    .extract({
      left: Math.round((meta.width - w) / 2),
      top: Math.round((meta.height - h) / 2),
      width: w,
      height: h,
    })
    .resize(1200)
    .jpeg({ quality: 92 })
    .withExif({
      IFD0: { Make: 'Fujifilm', Model: 'X-T5' },
      IFD2: {
        ExposureTime: shutter,
        FNumber: '8/1',
        ISOSpeedRatings: '125',
        DateTimeOriginal: time,
        SubSecTimeOriginal: subSec,
      },
    })
    .toFile(file);
  await rm(full, { force: true });
}

async function startServe(dataDir) {
  const child = spawn(process.execPath, [CLI, 'serve', '--json', '--data-dir', dataDir], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((ok, fail) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const line = buf.split('\n').find((l) => l.startsWith('{'));
      if (line) ok(JSON.parse(line).url);
    });
    child.on('exit', (code) => fail(new Error(`serve exited with ${code}`)));
  });
  return { child, url };
}

const tmp = await mkdtemp(join(tmpdir(), 'bracketeer-shots-'));
const photos = join(tmp, 'photos');
await mkdir(photos, { recursive: true });
await mkdir(OUT, { recursive: true });
const day = '2026:09:12';
const shots = [
  [
    'venice_sunset_1k.hdr',
    'DSCF0412.jpg',
    { shutter: '1/250', time: `${day} 18:40:10`, subSec: '00' },
  ],
  [
    'rooitou_park_1k.hdr',
    'DSCF0388.jpg',
    { shutter: '1/500', time: `${day} 11:02:31`, subSec: '00' },
  ],
  [
    'forest_slope_1k.hdr',
    'DSCF0391.jpg',
    { shutter: '1/125', time: `${day} 12:15:03`, subSec: '00' },
  ],
  [
    'st_fagans_interior_1k.hdr',
    'DSCF0455.jpg',
    { shutter: '1/30', time: `${day} 19:30:44`, subSec: '00' },
  ],
  [
    'immenstadter_horn_1k.hdr',
    'DSCF0401.jpg',
    { shutter: '1/320', time: `${day} 14:20:18`, subSec: '00' },
  ],
];
for (const [hdr, name, exif] of shots) await makePhoto(hdr, join(photos, name), exif);
// A real three-frame bracket (−2, 0, +2 EV, 0.3 s apart) of one scene: one grouped tile.
const bracket = [
  ['DSCF0420.jpg', -2, '1/1000', '10'],
  ['DSCF0421.jpg', 0, '1/250', '40'],
  ['DSCF0422.jpg', 2, '1/60', '70'],
];
for (const [name, ev, shutter, subSec] of bracket) {
  await makePhoto('adams_place_bridge_1k.hdr', join(photos, name), {
    op: 'clip',
    exposure: ev - 1,
    shutter,
    time: `${day} 16:05:02`,
    subSec,
  });
}

const { child, url } = await startServe(join(tmp, 'data'));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(180_000);
  await page.goto(url);
  await page.fill('#import-path', photos);
  await page.click('button[type=submit]:has-text("Import")');
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid=tile][data-drawn=true]').length === 6,
  );
  await page.click('[data-testid=tile][data-frames="3"]');
  await page.waitForSelector('[data-testid=exif-panel]');
  await page.screenshot({ path: join(OUT, 'library.png') });

  // The editor with the virtual bracket strip of one photo (shipped model).
  await page.dblclick('[data-testid=tile] >> text=DSCF0412.jpg');
  await page.waitForSelector('[data-testid=strip]');
  await page.waitForFunction(
    () => document.querySelector('[data-testid=strip]')?.getAttribute('data-frames') === '7',
  );
  await page.click('[data-testid=strip-frame][data-ev="2"] button');
  await new Promise((r) => setTimeout(r, 500));
  await page.screenshot({ path: join(OUT, 'editor-strip.png') });

  // Tone mapping an HDR: operator panel, histogram.
  await page.fill('#open-path', join(HDR, 'st_fagans_interior_1k.hdr'));
  await page.click('button[type=submit]:has-text("Open")');
  await page.waitForFunction(() => !document.querySelector('[data-busy=true]'));
  await new Promise((r) => setTimeout(r, 1500));
  await page.screenshot({ path: join(OUT, 'tone-mapping.png') });
  console.log(`screenshots written to ${OUT}`);
} finally {
  await browser.close();
  child.kill('SIGINT');
  await rm(tmp, { recursive: true, force: true });
}
