/** Checks that a requested model is installed. */
import { DEFAULT_MODEL_ID } from '../../core/model/store/index.js';
import { ApiError } from '../../shared/api/index.js';
import { listInstalledModels } from './installed-models.js';

/**
 * The model id to use: `model`, or the shipped default.
 * @throws ApiError not-found naming the field `model` and the models folder when not installed
 */
export async function requireModel(model: string | undefined): Promise<string> {
  const id = model ?? DEFAULT_MODEL_ID;
  const installed = await listInstalledModels();
  if (!installed.models.some((m) => m.id === id)) {
    const where = installed.directory ?? 'no models folder (set BRACKETEER_MODELS_DIR)';
    throw new ApiError('not-found', `model: "${id}" is not installed in ${where}`, 'model');
  }
  return id;
}
