// A process for the durability test to kill: makes bursts of label edits through the compiled
// engine API and prints "ack <label>" as each is acknowledged. Usage: data packRoot prefix…
import { Api } from '../../../out/node/engine/api/api.js';
import { Engine } from '../../../out/node/engine/engine.js';

const [dataDir, packRoot, ...prefixes] = process.argv.slice(2);
const engine = await Engine.open({ dataDir, packRoots: [packRoot], provider: 'cpu' });
const api = new Api(engine);
const known = new Set(
  (await api.call('listLabels', { kind: 'user', limit: 10_000 })).labels.map((l) => l.name),
);
// The word table's words are read on first use (model/word-table.ts): read them before "ready",
// so the kills land during the edit bursts, not during that one-time read.
await api.call('suggest', { prefix: 'a', limit: 1 });
process.stdout.write('ready\n');
for (const prefix of prefixes) {
  const { suggestions } = await api.call('suggest', { prefix, limit: 40 });
  const words = suggestions
    .filter((s) => s.kind === 'word' && !known.has(s.text))
    .map((s) => s.text);
  // A burst: every edit asked at once, each acknowledged on its own.
  await Promise.all(
    words.map(async (text) => {
      await api.call('addLabel', { text });
      process.stdout.write(`ack ${text}\n`);
    }),
  );
}
await engine.close();
process.stdout.write('done\n');
