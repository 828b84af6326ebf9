/**
 * Pillow as the reference, computed at test time (python3 with Pillow and numpy, as training/
 * needs): resizes of raw RGB buffers, and the official SDL pipeline's model input of image files
 * (`np.asarray(Image.open(p).convert('RGB').resize((w, h)))`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const RESIZE = `
import json, sys
import numpy as np
from PIL import Image
FILTERS = {"bilinear": Image.Resampling.BILINEAR, "bicubic": Image.Resampling.BICUBIC,
           "lanczos": Image.Resampling.LANCZOS}
for job in json.load(open(sys.argv[1])):
    if "file" in job:
        im = Image.open(job["file"]).convert("RGB")
    else:
        raw = np.fromfile(job["input"], dtype=np.uint8).reshape(job["height"], job["width"], 3)
        im = Image.fromarray(raw, "RGB")
    size = (job["outWidth"], job["outHeight"])
    out = im.resize(size, FILTERS[job["filter"]]) if "filter" in job else im.resize(size)
    np.ascontiguousarray(np.asarray(out, dtype=np.uint8)).tofile(job["output"])
`;

export interface PillowJob {
  /** An image file, opened and converted to RGB by Pillow… */
  file?: string;
  /** …or raw RGB bytes of width × height. */
  rgb?: Uint8Array;
  width?: number;
  height?: number;
  outWidth: number;
  outHeight: number;
  /** Omitted: Image.resize's default (bicubic in Pillow ≥ 7). */
  filter?: 'bilinear' | 'bicubic' | 'lanczos';
}

/** Runs every job in one python3 process; returns each job's outHeight × outWidth × 3 bytes. */
export async function pillowResize(jobs: readonly PillowJob[]): Promise<Uint8Array[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'anytag-pillow-'));
  try {
    return await runJobs(dir, jobs);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runJobs(dir: string, jobs: readonly PillowJob[]): Promise<Uint8Array[]> {
  const manifest = await Promise.all(
    jobs.map(async (job, i) => {
      const output = path.join(dir, `out-${i}.rgb`);
      const { rgb, ...rest } = job;
      if (!rgb) return { ...rest, output };
      const input = path.join(dir, `in-${i}.rgb`);
      await writeFile(input, rgb);
      return { ...rest, input, output };
    }),
  );
  const list = path.join(dir, 'jobs.json');
  await writeFile(list, JSON.stringify(manifest));
  await run('python3', ['-c', RESIZE, list], { maxBuffer: 1 << 24 });
  return Promise.all(manifest.map(async (m) => new Uint8Array(await readFile(m.output))));
}
