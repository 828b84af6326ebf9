/**
 * `--provider auto` starts a session without noise: providers that cannot exist here are not
 * probed (no CUDA libraries, no Vulkan loader for WebGPU on Linux), so nothing native prints on
 * stderr (Dawn's "Couldn't load Vulkan" warning before), and each skipped provider is reported
 * in `fallbacks` with why. Run in a child process of the compiled engine: a native library writes
 * to the process's stderr, which only a parent can read.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { providerAvailability } from '../../../src-main/engine/model/session.js';
import { REPO_ROOT, requireBuilt } from '../../helpers/shared.js';
import { tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';

const run = promisify(execFile);

const SCRIPT = `
import { readFileSync } from 'node:fs';
import { ModelSession } from ${JSON.stringify(path.join(REPO_ROOT, 'out', 'node', 'engine', 'model', 'session.js'))};
const dir = process.argv[1];
const pack = JSON.parse(readFileSync(dir + '/pack.json', 'utf8'));
const session = await ModelSession.create(dir + '/' + pack.model.file, { inputName: pack.input.name, output: pack.output }, { provider: 'auto' });
process.stdout.write(JSON.stringify({ provider: session.provider, fallbacks: session.fallbacks }));
await session.release();
`;

describe('provider auto', () => {
  it('probes only providers that can exist here, and prints nothing on stderr', async () => {
    requireBuilt(
      path.join(REPO_ROOT, 'out', 'node', 'engine', 'model', 'session.js'),
      'run `npm run build`',
    );
    const pack = await writeTinyPack(path.join(await tempDir(), 'tiny'));
    const { stdout, stderr } = await run('node', ['--input-type=module', '-e', SCRIPT, pack], {
      timeout: 60_000,
    });
    expect(stderr).toBe('');
    const { fallbacks } = JSON.parse(stdout) as {
      provider: string;
      fallbacks: { provider: string; error: string }[];
    };
    for (const missing of providerAvailability().filter((p) => !p.available)) {
      const skipped = fallbacks.find((f) => f.provider === missing.provider);
      // Only those in the platform's auto order are met at all.
      if (skipped) expect(skipped.error).toBe(`not tried: ${missing.reason}`);
    }
  });
});
