/** The library catalog service (plain Node; used by Electron main and `bracketeer serve`). */
export { Catalog, openCatalog } from './catalog.js';
export type { ImportOptions } from './import-files.js';
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations.js';
export { migrate, schemaVersion } from './migrate.js';
export type { ModelVersion, NewModelVersion } from './models.js';
export type { EditRecipe, JsonValue, Recipe, RecipeTarget } from './recipes.js';
export { exposureEv, type Stack, type StackMember } from './stacks.js';
export type { StackEditResult } from './stack-edits.js';
export { THUMBNAIL_SIZE } from './thumbnail.js';
export type { Tile, TileFilter, TileQuery, TileSort } from './library-query.js';
export { detectStacks, type StackCandidate } from './detect-stacks.js';
export type * from './types.js';
