/**
 * Tone-mapping presets (operator, its parameters and the adjustments, under a name), kept in the
 * browser's localStorage under {@link PRESETS_KEY}. Data read back is validated entry by entry:
 * bad entries are dropped with a console warning, never thrown.
 */

/** localStorage key of the preset list (JSON array of {@link Preset}). */
export const PRESETS_KEY = 'bracketeer.presets.v1';

/** One saved look. */
export interface Preset {
  /** 1…64 characters, unique in the list (case-sensitive). */
  readonly name: string;
  /** Operator id, e.g. "drago03". */
  readonly op: string;
  /** Operator parameters by key (finite numbers). */
  readonly params: Readonly<Record<string, number>>;
  /** Adjustments by key: exposure, saturation, gamma (finite numbers). */
  readonly adjust: Readonly<Record<string, number>>;
}

/** The part of Storage used here (window.localStorage satisfies it). */
export interface PresetStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const MAX_NAME = 64;

function numberRecord(v: unknown): Record<string, number> | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x !== 'number' || !Number.isFinite(x) || k.length > 64) return null;
    out[k] = x;
  }
  return out;
}

/**
 * Checks one parsed entry.
 * @returns the preset, or a reason it is not one
 */
export function validatePreset(v: unknown): Preset | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object';
  const o = v as Record<string, unknown>;
  const name = typeof o.name === 'string' ? o.name.trim() : '';
  if (name.length < 1 || name.length > MAX_NAME) return 'name must be 1…64 characters';
  if (typeof o.op !== 'string' || !/^[a-z][a-z0-9]{0,31}$/.test(o.op)) {
    return `"${name}": op is not an operator id`;
  }
  const params = numberRecord(o.params);
  const adjust = numberRecord(o.adjust);
  if (!params) return `"${name}": params must map keys to finite numbers`;
  if (!adjust) return `"${name}": adjust must map keys to finite numbers`;
  return { name, op: o.op, params, adjust };
}

/**
 * Reads the saved presets; invalid JSON or entries are skipped with a console warning.
 * @returns valid presets in stored order, first of each name kept
 */
export function loadPresets(storage: PresetStorage): Preset[] {
  let raw: string | null;
  try {
    raw = storage.getItem(PRESETS_KEY);
  } catch (err) {
    console.warn(`presets: cannot read ${PRESETS_KEY}: ${String(err)}`);
    return [];
  }
  if (raw === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    console.warn(`presets: ${PRESETS_KEY} is not valid JSON; ignored`);
    return [];
  }
  if (!Array.isArray(parsed)) {
    console.warn(`presets: ${PRESETS_KEY} is not a list; ignored`);
    return [];
  }
  const out: Preset[] = [];
  for (const [i, entry] of parsed.entries()) {
    const p = validatePreset(entry);
    if (typeof p === 'string') console.warn(`presets: entry ${i} ignored: ${p}`);
    else if (out.some((q) => q.name === p.name)) console.warn(`presets: duplicate "${p.name}"`);
    else out.push(p);
  }
  return out;
}

function store(storage: PresetStorage, list: readonly Preset[]): void {
  storage.setItem(PRESETS_KEY, JSON.stringify(list));
}

/**
 * Saves `preset` (replacing one of the same name in place, else appending) and stores the list.
 * @returns the new list
 * @throws Error when the preset is invalid (e.g. an empty name)
 */
export function savePreset(storage: PresetStorage, preset: Preset): Preset[] {
  const p = validatePreset(preset);
  if (typeof p === 'string') throw new Error(`preset: ${p}`);
  const list = loadPresets(storage);
  const i = list.findIndex((q) => q.name === p.name);
  if (i >= 0) list[i] = p;
  else list.push(p);
  store(storage, list);
  return list;
}

/**
 * Deletes the preset called `name` (no-op when absent) and stores the list.
 * @returns the new list
 */
export function deletePreset(storage: PresetStorage, name: string): Preset[] {
  const list = loadPresets(storage).filter((q) => q.name !== name);
  store(storage, list);
  return list;
}
