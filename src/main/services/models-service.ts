/**
 * `models.*`: the shipped and the user's models (fine-tunes, imports) with their card facts;
 * cards, export/import as .zip, deleting user models (never shipped ones), and which model each
 * camera uses (`<dataDir>/models-active.json`), so that photos from a fine-tuned camera use
 * its model.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '../../core/errors.js';
import { readExposureInfo } from '../../core/exif/read-exif.js';
import { writeFileAtomic } from '../../core/io/atomic-write.js';
import { photoProfile, type StoredCameraProfile } from '../../core/model/finetune/profile-file.js';
import {
  DEFAULT_MODEL_ID,
  modelSearchDirectories,
  userModelsDirectory,
} from '../../core/model/store/locate.js';
import {
  ApiError,
  parseRequest,
  type InvokeRequest,
  type ModelListItem,
  type ModelsActive,
  type PhotoCameraProfile,
  type PhotoModel,
} from '../../shared/api/index.js';
import { exportModelFolder, importModelArchive } from './model-archive.js';
import type { PathPolicy } from './paths.js';
import type { ServiceArea } from './service-area.js';

interface FoundModel {
  readonly item: ModelListItem;
  readonly dir: string;
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const perOffset = (v: unknown): Record<string, number> | null =>
  v && typeof v === 'object' ? (v as Record<string, number>) : null;

/**
 * The camera key of a photo: EXIF "Make Model" (as fine-tunes key their profile).
 * @returns null when the photo records neither
 */
export async function photoCameraKey(file: string): Promise<string | null> {
  try {
    const info = await readExposureInfo(file);
    return [info.make, info.model].filter((v) => v).join(' ') || null;
  } catch {
    return null;
  }
}

/** The folder of an installed model id (first of the search directories holding it), else null. */
export function installedModelFolder(id: string): string | null {
  for (const root of modelSearchDirectories()) {
    const dir = path.join(root, id);
    if (existsSync(path.join(dir, 'model.json'))) return dir;
  }
  return null;
}

/**
 * The camera profile of model `modelId` when it is for the camera of `file` (Make Model, and
 * picture style when the profile has one; see core/model/finetune/profile-file.ts), else null.
 * @throws InvalidInputError naming camera-response.json when the model's profile is corrupt
 */
export async function profileForPhoto(
  modelId: string,
  file: string,
): Promise<{ summary: PhotoCameraProfile; profile: StoredCameraProfile } | null> {
  const dir = installedModelFolder(modelId);
  if (!dir) return null;
  const found = await photoProfile(dir, file);
  if (!found.applies || !found.profile || found.profile.key === null) return null;
  const p = found.profile;
  return {
    summary: { key: p.key ?? '', style: p.style, residual: p.residual, model: modelId },
    profile: p,
  };
}

/** Models, their cards and the per-camera choice. */
export class ModelsService implements ServiceArea {
  readonly name = 'models';
  readonly handlers = {
    'models.list': this.list.bind(this),
    'models.card': this.card.bind(this),
    'models.export': this.export.bind(this),
    'models.import': this.import.bind(this),
    'models.delete': this.delete.bind(this),
    'models.active': this.active.bind(this),
    'models.setActive': this.setActive.bind(this),
    'models.forPhoto': this.forPhoto.bind(this),
  };

  /**
   * @param activeFile - where the per-camera choice is kept (JSON)
   */
  constructor(
    private readonly paths: PathPolicy,
    private readonly activeFile: string,
  ) {}

  private get userDir(): string {
    return path.resolve(userModelsDirectory());
  }

  private async found(): Promise<FoundModel[]> {
    const out = new Map<string, FoundModel>();
    for (const root of modelSearchDirectories()) {
      let names: string[];
      try {
        names = (await readdir(root, { withFileTypes: true }))
          .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
          .map((e) => e.name);
      } catch {
        continue;
      }
      for (const id of names.sort()) {
        if (out.has(id)) continue;
        const dir = path.join(root, id);
        let d: Record<string, unknown>;
        try {
          d = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as Record<
            string,
            unknown
          >;
        } catch {
          continue;
        }
        if (typeof d.config !== 'string') continue;
        const ft = (d.finetune ?? {}) as Record<string, unknown>;
        const profile = (d.cameraProfile ?? {}) as Record<string, unknown>;
        const fineTune = d.kind === 'fine-tune';
        out.set(id, {
          dir,
          item: {
            id,
            kind: fineTune ? 'fine-tune' : 'shipped',
            config: d.config,
            description: str(d.description),
            sha256: str(d.sha256) ?? '',
            base: str(d.baseModel),
            camera: str(profile.key),
            createdAt: str(d.createdAt),
            beforeMean: num(ft.beforeMean),
            afterMean: num(ft.afterMean),
            before: perOffset(ft.before),
            after: perOffset(ft.after),
            isDefault: id === DEFAULT_MODEL_ID,
            deletable: (fineTune || d.imported === true) && path.resolve(root) === this.userDir,
          },
        });
      }
    }
    return [...out.values()];
  }

  private async find(id: string): Promise<FoundModel> {
    const m = (await this.found()).find((f) => f.item.id === id);
    if (!m) throw new ApiError('not-found', `id: no installed model "${id}"`, 'id');
    return m;
  }

  /** Every model, shipped first then the user's, by id. */
  async list(): Promise<ModelListItem[]> {
    return (await this.found())
      .map((f) => f.item)
      .sort((a, b) =>
        a.kind === b.kind ? a.id.localeCompare(b.id) : a.kind === 'shipped' ? -1 : 1,
      );
  }

  /** The card (README.md), or a short one built from model.json for models without one. */
  async card(request: InvokeRequest<'models.card'>): Promise<{ markdown: string }> {
    const req = parseRequest('models.card', request);
    const m = await this.find(req.id);
    try {
      return { markdown: await readFile(path.join(m.dir, 'README.md'), 'utf8') };
    } catch {
      const i = m.item;
      return {
        markdown: `# ${i.id}\n\n${i.description ?? ''}\n\n- config: ${i.config}\n- SHA-256: ${i.sha256}\n`,
      };
    }
  }

  /** Writes the model as a .zip. @throws ApiError not-found / forbidden / invalid */
  async export(request: InvokeRequest<'models.export'>): Promise<{ file: string; bytes: number }> {
    const req = parseRequest('models.export', request);
    const m = await this.find(req.id);
    const { dir } = await this.paths.outputDir(path.dirname(req.file), 'file');
    const file = path.join(dir, path.basename(req.file));
    await mkdir(dir, { recursive: true });
    return { file, bytes: await exportModelFolder(m.dir, file) };
  }

  /** Installs a .zip as a user model. @throws ApiError invalid / not-found */
  async import(request: InvokeRequest<'models.import'>): Promise<{ id: string; sha256: string }> {
    const req = parseRequest('models.import', request);
    const file = await this.paths.inputFile(req.file, 'file');
    await mkdir(this.userDir, { recursive: true });
    const taken = req.id ?? null;
    if (taken && (await this.found()).some((f) => f.item.id === taken)) {
      throw new ApiError('invalid', `id: a model "${taken}" is already installed`, 'id');
    }
    try {
      return await importModelArchive(file, this.userDir, req.id);
    } catch (err) {
      if (err instanceof InvalidInputError) throw new ApiError('invalid', err.message, 'file');
      throw err;
    }
  }

  /** Deletes a user model (and its camera choices). @throws ApiError invalid for shipped models */
  async delete(request: InvokeRequest<'models.delete'>): Promise<{ id: string }> {
    const req = parseRequest('models.delete', request);
    const m = await this.find(req.id);
    if (!m.item.deletable) {
      throw new ApiError(
        'invalid',
        `id: "${req.id}" is a shipped model; only your own models can be deleted`,
        'id',
      );
    }
    await rm(m.dir, { recursive: true, force: true });
    const active = await this.readActive();
    const byCamera = Object.fromEntries(
      Object.entries(active.byCamera).filter(([, v]) => v !== req.id),
    );
    await this.writeActive({ byCamera });
    return { id: req.id };
  }

  private async readActive(): Promise<ModelsActive> {
    try {
      const raw = JSON.parse(await readFile(this.activeFile, 'utf8')) as ModelsActive;
      return { byCamera: { ...raw.byCamera } };
    } catch {
      return { byCamera: {} };
    }
  }

  private async writeActive(a: ModelsActive): Promise<void> {
    await mkdir(path.dirname(this.activeFile), { recursive: true });
    await writeFileAtomic(
      this.activeFile,
      new TextEncoder().encode(`${JSON.stringify(a, null, 1)}\n`),
    );
  }

  /** The per-camera choice (models that are gone are left out). */
  async active(): Promise<ModelsActive> {
    const a = await this.readActive();
    const ids = new Set((await this.found()).map((f) => f.item.id));
    return {
      byCamera: Object.fromEntries(Object.entries(a.byCamera).filter(([, v]) => ids.has(v))),
    };
  }

  /** Sets or clears a camera's model. @throws ApiError not-found for an unknown model */
  async setActive(request: InvokeRequest<'models.setActive'>): Promise<ModelsActive> {
    const req = parseRequest('models.setActive', request);
    if (req.model !== null)
      await this.find(req.model).catch(() => {
        throw new ApiError('not-found', `model: no installed model "${req.model}"`, 'model');
      });
    const a = await this.readActive();
    const byCamera: Record<string, string> = { ...a.byCamera };
    if (req.model === null) delete byCamera[req.camera];
    else byCamera[req.camera] = req.model;
    await this.writeActive({ byCamera });
    return { byCamera };
  }

  /**
   * The model for a photo: the one chosen for its camera, else the newest fine-tune whose
   * profile is that camera, else the default model; with that model's camera profile when it
   * is for the photo's camera.
   */
  async forPhoto(request: InvokeRequest<'models.forPhoto'>): Promise<PhotoModel> {
    const req = parseRequest('models.forPhoto', request);
    const file = await this.paths.inputFile(req.path, 'path');
    const choice = await this.modelForPhoto(file);
    try {
      const found = await profileForPhoto(choice.model, file);
      return { ...choice, profile: found?.summary ?? null };
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      return { ...choice, profile: null, profileError: err.message };
    }
  }

  private async modelForPhoto(file: string): Promise<Omit<PhotoModel, 'profile'>> {
    const camera = await photoCameraKey(file);
    const models = (await this.found()).map((f) => f.item);
    const kindOf = (id: string) => models.find((m) => m.id === id)?.kind ?? 'shipped';
    if (camera) {
      const chosen = (await this.active()).byCamera[camera];
      if (chosen) return { model: chosen, camera, reason: 'camera', kind: kindOf(chosen) };
      const tuned = models
        .filter((m) => m.kind === 'fine-tune' && m.camera === camera)
        .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''))[0];
      if (tuned) return { model: tuned.id, camera, reason: 'camera', kind: 'fine-tune' };
    }
    return { model: DEFAULT_MODEL_ID, camera, reason: 'default', kind: kindOf(DEFAULT_MODEL_ID) };
  }
}
