/**
 * An acknowledgement means on disk: a process making bursts of label edits is killed with
 * SIGKILL at random moments, 20 times; every edit it acknowledged must be in the catalogue file.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, STARTER_PACK, requireBuilt } from '../../helpers/shared.js';
import { tempDir } from '../../helpers/temp.js';

const CHILD = path.join(import.meta.dirname, 'edit-burst-child.mjs');
const KILLS = 20;
const PREFIXES = 'ab ac ad ba be bi ca ce ch co da de di do ea el en fa fe fi'.split(' ');

/** Runs the child until it has acknowledged a few edits, then kills it some ms later. */
function runAndKill(args: string[], killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!timer && out.includes('ready\n')) {
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child exited ${code}: ${err}`));
      // Only whole lines: a line cut by the kill was not acknowledged to anyone.
      const acked = out
        .split('\n')
        .slice(0, -1)
        .filter((line) => line.startsWith('ack '))
        .map((line) => line.slice(4));
      resolve(acked);
    });
  });
}

describe('acknowledged edits survive SIGKILL', () => {
  let data: string;
  beforeAll(async () => {
    requireBuilt(
      path.join(REPO_ROOT, 'out', 'node', 'engine', 'api', 'api.js'),
      'run `npm run build`',
    );
    requireBuilt(STARTER_PACK, 'run `npm run build:packs` first');
    data = path.join(await tempDir(), 'data');
  });

  it(`loses no acknowledged label edit in ${KILLS} kills during bursts`, async () => {
    const acknowledged = new Set<string>();
    let lost: string[] = [];
    for (let run = 0; run < KILLS; run++) {
      const prefixes = [PREFIXES[run % PREFIXES.length]!, PREFIXES[(run + 7) % PREFIXES.length]!];
      const killAfter = 30 + Math.floor(Math.random() * 400);
      for (const label of await runAndKill(
        [data, path.dirname(STARTER_PACK), ...prefixes],
        killAfter,
      )) {
        acknowledged.add(label);
      }
      const text = await readFile(path.join(data, 'catalogue.json'), 'utf8').catch(() => null);
      const saved = text
        ? (JSON.parse(text) as { vocabulary: { labels: { text: string }[] } })
        : { vocabulary: { labels: [] } };
      const onDisk = new Set(saved.vocabulary.labels.map((l) => l.text));
      lost = [...acknowledged].filter((label) => !onDisk.has(label));
      if (lost.length > 0) break;
    }
    console.log(`acknowledged ${acknowledged.size} edits over ${KILLS} kills; lost ${lost.length}`);
    expect(acknowledged.size).toBeGreaterThan(KILLS);
    expect(lost).toEqual([]);
  }, 240_000);
});
