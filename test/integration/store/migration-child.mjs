// A process for the migration crash test to kill: opens a data folder with the compiled
// catalogue (moving a v3 catalogue's photos into the photo table), then prints "done <count>".
// Usage: migration-child.mjs <dataDir>
import { Catalogue } from '../../../out/node/engine/store/catalogue.js';

const [dataDir] = process.argv.slice(2);
const catalogue = await Catalogue.open(dataDir);
const count = catalogue.photos().length;
await catalogue.close();
process.stdout.write(`done ${count}\n`);
