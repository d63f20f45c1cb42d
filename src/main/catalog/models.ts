/**
 * The model registry: each model (an architecture trained for a purpose, e.g. the multi-exposure
 * net) has numbered versions — the shipped weights, then every fine-tune on the user's stacks.
 * A new version never overwrites an old one; at most one version per model is active.
 */
import type { Database } from 'better-sqlite3';
import { InvalidInputError } from '../../core/errors.js';
import type { JsonValue } from './recipes.js';

/** One version of a model. */
export interface ModelVersion {
  readonly id: number;
  /** The model's id, e.g. "multi-exposure-lite" (as in resources/models/<id>/). */
  readonly modelId: string;
  readonly modelName: string;
  readonly architecture: string;
  /** 1, 2, … per model. */
  readonly version: number;
  /** The version this one was fine-tuned from, if any. */
  readonly baseVersionId: number | null;
  /** Absolute path of the weights (file or folder). */
  readonly weightsPath: string;
  /** SHA-256 of the weights, 64 hex digits. */
  readonly sha256: string;
  /** Model card: training data, steps, metrics… */
  readonly card: { readonly [key: string]: JsonValue };
  readonly createdAt: number;
  readonly active: boolean;
}

/** Input of {@link addModelVersion}. */
export interface NewModelVersion {
  readonly modelId: string;
  /** Display name; stored with the model when it is first registered. */
  readonly modelName: string;
  readonly architecture: string;
  readonly baseVersionId?: number;
  readonly weightsPath: string;
  readonly sha256: string;
  readonly card?: { readonly [key: string]: JsonValue };
  /** Make it the model's active version (default false; the first version is always active). */
  readonly activate?: boolean;
  readonly now?: number;
}

interface Row {
  id: number;
  model_id: string;
  model_name: string;
  architecture: string;
  version: number;
  base_version_id: number | null;
  weights_path: string;
  sha256: string;
  card_json: string;
  created_at: number;
  active: number;
}

const SELECT = `SELECT v.id, v.model_id, m.name AS model_name, m.architecture, v.version,
  v.base_version_id, v.weights_path, v.sha256, v.card_json, v.created_at, v.active
  FROM model_versions v JOIN models m ON m.id = v.model_id`;

function toVersion(r: Row): ModelVersion {
  return {
    id: r.id,
    modelId: r.model_id,
    modelName: r.model_name,
    architecture: r.architecture,
    version: r.version,
    baseVersionId: r.base_version_id,
    weightsPath: r.weights_path,
    sha256: r.sha256,
    card: JSON.parse(r.card_json) as ModelVersion['card'],
    createdAt: r.created_at,
    active: r.active === 1,
  };
}

function getVersion(db: Database, id: number): ModelVersion | undefined {
  const row = db.prepare(`${SELECT} WHERE v.id = ?`).get(id) as Row | undefined;
  return row ? toVersion(row) : undefined;
}

/**
 * Registers a new version (the next number for the model), creating the model on first use,
 * in one transaction.
 * @throws InvalidInputError for an empty id, a malformed sha256, or an unknown base version
 */
export function addModelVersion(db: Database, v: NewModelVersion): ModelVersion {
  if (!/^[\w.-]+$/.test(v.modelId)) {
    throw new InvalidInputError(`model id "${v.modelId}" must be letters, digits, . _ -`);
  }
  if (!/^[0-9a-f]{64}$/.test(v.sha256)) {
    throw new InvalidInputError(`sha256 of ${v.weightsPath} must be 64 lower-case hex digits`);
  }
  if (!v.weightsPath) throw new InvalidInputError('weightsPath is required');
  const now = v.now ?? Date.now();
  const id = db
    .transaction(() => {
      db.prepare(
        `INSERT INTO models (id, name, architecture, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING`,
      ).run(v.modelId, v.modelName, v.architecture, now);
      if (v.baseVersionId !== undefined) {
        if (!db.prepare('SELECT 1 FROM model_versions WHERE id = ?').get(v.baseVersionId)) {
          throw new InvalidInputError(`base model version ${v.baseVersionId} does not exist`);
        }
      }
      const { n, actives } = db
        .prepare(
          `SELECT coalesce(max(version), 0) AS n, coalesce(sum(active), 0) AS actives
           FROM model_versions WHERE model_id = ?`,
        )
        .get(v.modelId) as { n: number; actives: number };
      const activate = v.activate === true || actives === 0;
      if (activate)
        db.prepare('UPDATE model_versions SET active = 0 WHERE model_id = ?').run(v.modelId);
      const info = db
        .prepare(
          `INSERT INTO model_versions (model_id, version, base_version_id, weights_path, sha256,
            card_json, created_at, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          v.modelId,
          n + 1,
          v.baseVersionId ?? null,
          v.weightsPath,
          v.sha256,
          JSON.stringify(v.card ?? {}),
          now,
          activate ? 1 : 0,
        );
      return Number(info.lastInsertRowid);
    })
    .immediate();
  return getVersion(db, id) as ModelVersion;
}

/** Versions of one model (or of all models), by model id then version. */
export function listModelVersions(db: Database, modelId?: string): ModelVersion[] {
  const rows = (
    modelId === undefined
      ? db.prepare(`${SELECT} ORDER BY v.model_id, v.version`).all()
      : db.prepare(`${SELECT} WHERE v.model_id = ? ORDER BY v.version`).all(modelId)
  ) as Row[];
  return rows.map(toVersion);
}

/** The active version of a model, or undefined. */
export function activeModelVersion(db: Database, modelId: string): ModelVersion | undefined {
  const row = db.prepare(`${SELECT} WHERE v.model_id = ? AND v.active = 1`).get(modelId);
  return row ? toVersion(row as Row) : undefined;
}

/**
 * Makes a version its model's only active one (one transaction).
 * @throws InvalidInputError when the version does not exist
 */
export function setActiveModelVersion(db: Database, versionId: number): ModelVersion {
  db.transaction(() => {
    const row = db.prepare('SELECT model_id FROM model_versions WHERE id = ?').get(versionId) as
      { model_id: string } | undefined;
    if (!row) throw new InvalidInputError(`model version ${versionId} does not exist`);
    db.prepare('UPDATE model_versions SET active = 0 WHERE model_id = ? AND id <> ?').run(
      row.model_id,
      versionId,
    );
    db.prepare('UPDATE model_versions SET active = 1 WHERE id = ?').run(versionId);
  }).immediate();
  return getVersion(db, versionId) as ModelVersion;
}
