// A process for the crash test to kill: indexes a folder with the compiled engine (worker
// threads and all), saving the catalogue often, then prints "done". Usage: data packs photos.
import { Engine } from '../../../out/node/engine/engine.js';

const [dataDir, packRoot, photos] = process.argv.slice(2);
const engine = await Engine.open({
  dataDir,
  packRoots: [packRoot],
  provider: 'cpu',
  threads: 1,
  indexWorkers: 1,
  catalogueDebounceMs: 20,
  library: { batchSize: 4 },
});
await engine.library(); // pack, worker and model session are up
process.stdout.write('ready\n');
const result = await engine.indexPaths([photos]);
await engine.close();
process.stdout.write(`done ${JSON.stringify(result)}\n`);
