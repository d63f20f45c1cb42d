/**
 * Reading a model folder's camera profile (`camera-response.json`, written by the fine-tune; see
 * camera-profile.ts), deciding whether it applies to a photo, and turning it into the inverse
 * response the Debevec merge takes.
 *
 * Matching rule (kept simple on purpose):
 * - the profile's `key` ("Make Model", as EXIF records them) must equal the photo's "Make Model"
 *   (compared trimmed, runs of spaces collapsed, case-insensitively); a profile with key null
 *   (stacks from several cameras, or no EXIF) applies to no photo;
 * - a profile may carry a picture `style` (Canon PictureStyle, Nikon PictureControlName, Sony
 *   CreativeStyle, when the file records it where exifr can read it): it then applies only to
 *   photos of that style; a profile without a style applies to every style of its camera.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { RESPONSE_LEVELS, type InverseResponse } from '../../camera/response.js';
import { InvalidInputError } from '../../errors.js';
import { readPhotoCamera, type PhotoCamera } from '../../exif/photo-camera.js';

/** File name of the profile inside a model folder. */
export const CAMERA_PROFILE_FILE = 'camera-response.json';

const curve = z
  .array(z.number().finite().nonnegative())
  .length(RESPONSE_LEVELS)
  .refine((c) => c.some((v) => v > 0), 'a curve is all zero');

const profileSchema = z.object({
  key: z.string().nullable(),
  make: z.string().nullable().optional(),
  model: z.string().nullable().optional(),
  /** picture style the stacks were shot with; absent or null: any style */
  style: z.string().nullable().optional(),
  source: z.string(),
  residual: z.number().finite().nonnegative(),
  stacks: z
    .array(z.object({ name: z.string(), residual: z.number() }))
    .optional()
    .default([]),
  inverse: z.array(curve).refine((a) => a.length === 1 || a.length === 3, '1 or 3 curves'),
});

/** A profile as read from a model folder (validated). */
export interface StoredCameraProfile {
  /** "Make Model", null when the stacks did not record one camera */
  readonly key: string | null;
  /** picture style it is limited to, null for any style */
  readonly style: string | null;
  /** how the curve was calibrated, e.g. "debevec" */
  readonly source: string;
  /** fit residual (weighted RMS, natural-log exposure units) */
  readonly residual: number;
  /** inverse response per channel: 1 or 3 curves of 256 relative exposures ≥ 0 */
  readonly inverse: readonly (readonly number[])[];
  /** the file it was read from */
  readonly file: string;
}

/**
 * Reads and validates `<modelDir>/camera-response.json`.
 * @returns the profile, or null when the folder has no profile file
 * @throws InvalidInputError naming the file when it is unreadable, not JSON or not a profile
 */
export async function readCameraProfile(modelDir: string): Promise<StoredCameraProfile | null> {
  const file = path.join(modelDir, CAMERA_PROFILE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InvalidInputError(
      `${file}: cannot read the camera profile: ${(err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InvalidInputError(
      `${file}: the camera profile is not JSON: ${(err as Error).message}`,
    );
  }
  const parsed = profileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new InvalidInputError(`${file}: not a valid camera profile: ${where}: ${issue.message}`);
  }
  const p = parsed.data;
  return {
    key: p.key,
    style: p.style ?? null,
    source: p.source,
    residual: p.residual,
    inverse: p.inverse,
    file,
  };
}

const norm = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Whether `profile` applies to a photo of `camera` (see the module's matching rule).
 * @returns true when the camera keys match and the profile's style is absent or the photo's
 */
export function profileMatches(
  profile: Pick<StoredCameraProfile, 'key' | 'style'>,
  camera: PhotoCamera,
): boolean {
  if (profile.key === null || camera.key === null) return false;
  if (norm(profile.key) !== norm(camera.key)) return false;
  if (profile.style === null || profile.style.trim() === '') return true;
  return camera.style !== null && norm(camera.style) === norm(profile.style);
}

/** "Make Model", or "Make Model [Style]" for a style-limited profile; "no camera" for key null. */
export function profileLabel(profile: Pick<StoredCameraProfile, 'key' | 'style'>): string {
  const key = profile.key ?? 'no camera';
  return profile.style ? `${key} [${profile.style}]` : key;
}

/**
 * The profile's curves as the merges take them (Float32Array per channel, relative exposure per
 * 8-bit code; the scale is arbitrary, ratios between codes are what matters).
 * @returns source "profile:<label>" with the profile's residual
 */
export function profileResponse(profile: StoredCameraProfile): InverseResponse {
  return {
    inverse: profile.inverse.map((c) => Float32Array.from(c)),
    source: `profile:${profileLabel(profile)}`,
    residual: profile.residual,
  };
}

/** The profile a model folder offers a photo, and whether it applies. */
export interface PhotoProfile {
  readonly camera: PhotoCamera;
  /** the folder's profile, null when it has none */
  readonly profile: StoredCameraProfile | null;
  /** whether {@link profile} applies to the photo's camera ({@link profileMatches}) */
  readonly applies: boolean;
}

/**
 * Reads the photo's camera and the model folder's profile and matches them.
 * @throws InvalidInputError naming the profile file when it is corrupt
 */
export async function photoProfile(modelDir: string, photoFile: string): Promise<PhotoProfile> {
  const [camera, profile] = await Promise.all([
    readPhotoCamera(photoFile),
    readCameraProfile(modelDir),
  ]);
  return { camera, profile, applies: profile !== null && profileMatches(profile, camera) };
}
