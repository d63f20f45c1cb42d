/**
 * Child-process entry for the crash test: imports the files named on the command line into a
 * catalog and reports each result to the parent over IPC, so the parent can kill it mid-import.
 * Usage (after bundling with esbuild): node import-child.mjs <db> <thumbnailsDir> <file>…
 */
import { openCatalog } from '../../../src/main/catalog/index.js';

const [dbFile, thumbnailsDir, ...files] = process.argv.slice(2);
const catalog = openCatalog(dbFile);
await catalog.importFiles(files, {
  thumbnailsDir,
  onResult: (result, index) => process.send?.({ type: 'result', index, status: result.status }),
});
catalog.close();
process.send?.({ type: 'done' });
