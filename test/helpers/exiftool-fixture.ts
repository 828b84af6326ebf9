/**
 * Photos whose metadata is written by a tool other than Anytag: the system `exiftool` (Debian
 * libimage-exiftool-perl), run as a plain child process, so tests compare Anytag against the
 * field's reference reader and writer, not against itself.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';

const run = promisify(execFile);

export type FixtureFormat = 'jpeg' | 'png' | 'tiff' | 'webp' | 'heif';

/** A small image in `format` (HEIF as AV1-coded HEIF, which this sharp build writes and reads). */
export async function plainImage(
  file: string,
  format: FixtureFormat,
  rgb: [number, number, number] = [180, 40, 40],
): Promise<string> {
  const [r, g, b] = rgb;
  const image = sharp({ create: { width: 48, height: 32, channels: 3, background: { r, g, b } } });
  const encoded =
    format === 'heif'
      ? image.heif({ compression: 'av1', quality: 60 })
      : image.toFormat(format, format === 'jpeg' ? { quality: 95 } : {});
  await encoded.toFile(file);
  return file;
}

/** Runs `exiftool -overwrite_original <args> file` and fails loudly on any error. */
export async function exiftoolWrite(file: string, args: string[]): Promise<void> {
  await run('exiftool', ['-q', '-m', '-overwrite_original', ...args, file]);
}

/** Every tag exiftool reads from a file (-G1 group names, lists kept as arrays). */
export async function exiftoolRead(
  file: string,
  args: string[] = [],
): Promise<Record<string, unknown>> {
  const { stdout } = await run('exiftool', ['-json', '-G1', '-struct', ...args, file]);
  return (JSON.parse(stdout) as Record<string, unknown>[])[0]!;
}

/** A value exiftool printed as one string or a list, as a list. */
export function asList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Camera fields as exiftool writes them for a photo taken on `date` ("2009:05:06 07:08:09"). */
export function cameraArgs(date: string, keywords: string[] = []): string[] {
  return [
    `-DateTimeOriginal=${date}`,
    '-SubSecTimeOriginal=123',
    '-OffsetTimeOriginal=+02:00',
    '-Make=Canon',
    '-Model=Canon EOS 5D',
    '-LensModel=EF 50mm f/1.8 II',
    '-FocalLength=50',
    '-ExposureTime=1/250',
    '-FNumber=1.8',
    '-ISO=200',
    '-GPSLatitude=48.8584',
    '-GPSLatitudeRef=N',
    '-GPSLongitude=2.2945',
    '-GPSLongitudeRef=E',
    '-XMP-xmp:Rating=4',
    '-XMP-dc:Title=Eiffel tower',
    '-XMP-dc:Description=From the Trocadéro',
    ...keywords.flatMap((k) => [`-XMP-dc:Subject=${k}`, `-IPTC:Keywords=${k}`]),
  ];
}
