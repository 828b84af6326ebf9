// A process for the layout upgrade crash test to kill: opens a data folder's photo table with the
// compiled store (upgrading a layout 2 file to 3), then prints "done <count>"
// ("opening" first, as it starts to open it).
// Usage: layout-upgrade-child.mjs <dataDir>
import { PhotoTable } from '../../../out/node/engine/store/photo-table.js';

const [dataDir] = process.argv.slice(2);
process.stdout.write('opening\n');
const table = PhotoTable.open(dataDir);
const count = table.count();
await table.close();
process.stdout.write(`done ${count}\n`);
