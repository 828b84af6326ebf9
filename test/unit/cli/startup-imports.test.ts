// The CLI's start-up loads no native model or image library: status, search, vocab and browse
// never run a model, so onnxruntime-node, sharp and exiftool-vendored must be reached only
// through dynamic import() on the paths that need them (issue 16, start-up).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../../../src-main');
const HEAVY = ['onnxruntime-node', 'sharp', 'exiftool-vendored'];

/** Value (not type-only) static imports and re-exports of a TypeScript module. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  const pattern = /^(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** Every module the entry loads before its first line runs, each with the chain that reaches it. */
function staticGraph(entry: string): Map<string, string[]> {
  const chains = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const specifier of staticImports(file)) {
      const target = specifier.startsWith('.')
        ? path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts')
        : specifier;
      if (chains.has(target)) continue;
      chains.set(target, [...chains.get(file)!, target]);
      if (specifier.startsWith('.') && existsSync(target)) queue.push(target);
    }
  }
  return chains;
}

describe('CLI start-up imports', () => {
  it('reaches the engine, zod and SQLite statically (the walk itself works)', () => {
    const graph = staticGraph(path.join(SRC, 'cli/main.ts'));
    expect(graph.has(path.join(SRC, 'engine/engine.ts'))).toBe(true);
    expect(graph.has('zod')).toBe(true);
    expect(graph.has('better-sqlite3')).toBe(true);
  });

  it.each(HEAVY)('does not load %s before a command needs it', (name) => {
    const graph = staticGraph(path.join(SRC, 'cli/main.ts'));
    const chain = [...graph.entries()].find(
      ([target]) => target === name || target.startsWith(`${name}/`),
    )?.[1];
    expect(chain?.map((f) => path.relative(SRC, f))).toBeUndefined();
  });

  it('the index worker still loads the model session and the decoder up front', () => {
    const graph = staticGraph(path.join(SRC, 'engine/workers/index-worker.ts'));
    expect(graph.has('onnxruntime-node')).toBe(true);
    expect(graph.has('sharp')).toBe(true);
  });
});
