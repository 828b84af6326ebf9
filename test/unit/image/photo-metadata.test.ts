import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureTime, normaliseDate } from '../../../src-main/engine/image/capture-time.js';
import { readPhotoMetadata } from '../../../src-main/engine/image/photo-metadata.js';
import {
  cameraArgs,
  exiftoolWrite,
  plainImage,
  type FixtureFormat,
} from '../../helpers/exiftool-fixture.js';
import { tempDir } from '../../helpers/temp.js';

async function metadataOf(file: string, sidecar?: string) {
  const meta = await sharp(file).metadata();
  return readPhotoMetadata({
    embedded: { exif: meta.exif, xmp: meta.xmp, iptc: meta.iptc },
    ...(meta.format === 'tiff' && { tiffFile: await readFile(file) }),
    ...(sidecar && { sidecar: { path: sidecar, bytes: await readFile(sidecar) } }),
    fileMs: Date.parse('2026-11-29T10:00:00Z'),
  });
}

describe('capture time', () => {
  it('keeps sub-seconds and the offset, and names the field it came from', () => {
    expect(
      captureTime({
        original: { value: '2009:05:06 07:08:09', subSeconds: '123', offset: '+0200' },
        fileMs: 0,
      }),
    ).toEqual({ takenAt: '2009-05-06T07:08:09.123+02:00', takenFrom: 'original' });
  });

  it('falls back to CreateDate, then the GPS fix, then the file time', () => {
    const zero = { value: '0000:00:00 00:00:00' };
    expect(
      captureTime({ original: zero, created: { value: '2022:01:02 03:04:05' }, fileMs: 0 }),
    ).toEqual({ takenAt: '2022-01-02T03:04:05', takenFrom: 'created' });
    expect(
      captureTime({ original: zero, gpsDate: '2022:01:02', gpsTime: [3, 4, 5.5], fileMs: 0 }),
    ).toEqual({ takenAt: '2022-01-02T03:04:05.500Z', takenFrom: 'gps' });
    expect(captureTime({ fileMs: 0 })).toEqual({
      takenAt: '1970-01-01T00:00:00.000Z',
      takenFrom: 'file',
    });
  });

  it('reads XMP dates and refuses impossible ones', () => {
    expect(normaliseDate({ value: '2022-07-08T09:10:11.5-05:00' })).toBe(
      '2022-07-08T09:10:11.5-05:00',
    );
    expect(normaliseDate({ value: '2022:13:45 99:00:00' })).toBeUndefined();
    expect(normaliseDate({ value: 'yesterday' })).toBeUndefined();
  });
});

describe('readPhotoMetadata on files exiftool wrote', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });

  const formats: [FixtureFormat, string][] = [
    ['jpeg', 'jpg'],
    ['png', 'png'],
    ['tiff', 'tif'],
    ['webp', 'webp'],
    ['heif', 'heic'],
  ];
  it.each(formats)(
    'reads date, camera, exposure, GPS and keywords from %s',
    async (format, ext) => {
      const file = await plainImage(path.join(dir, `camera.${ext}`), format);
      await exiftoolWrite(file, [
        ...cameraArgs('2009:05:06 07:08:09', ['heron', 'Paris']),
        '-XMP-lr:HierarchicalSubject=Places|France|Trocadéro',
        '-XMP-digiKam:TagsList=People/Ann',
      ]);
      const meta = await metadataOf(file);
      expect(meta).toMatchObject({
        takenAt: '2009-05-06T07:08:09.123+02:00',
        takenFrom: 'original',
        make: 'Canon',
        model: 'Canon EOS 5D',
        lens: 'EF 50mm f/1.8 II',
        focalLength: 50,
        exposureTime: 0.004,
        fNumber: 1.8,
        iso: 200,
        rating: 4,
        title: 'Eiffel tower',
        description: 'From the Trocadéro',
      });
      expect(meta.gps!.latitude).toBeCloseTo(48.8584, 4);
      expect(meta.gps!.longitude).toBeCloseTo(2.2945, 4);
      expect(meta.keywords.sort()).toEqual(['Ann', 'heron', 'Paris', 'Trocadéro'].sort());
    },
  );

  it('adds a sidecar: its keywords join, its rating wins; Anytag keywords are not the user’s', async () => {
    const file = await plainImage(path.join(dir, 'side.jpg'), 'jpeg');
    await exiftoolWrite(file, ['-XMP-xmp:Rating=1', '-IPTC:Keywords=heron']);
    const sidecar = path.join(dir, 'side.jpg.xmp');
    // exiftool creates a sidecar that does not exist yet, as darktable and digiKam do.
    await exiftoolWrite(sidecar, [
      '-XMP-xmp:Rating=5',
      '-XMP-dc:Subject=sunset',
      '-XMP-dc:Subject=bird',
      '-XMP-lr:HierarchicalSubject=Anytag|bird',
    ]);
    const meta = await metadataOf(file, sidecar);
    expect(meta.rating).toBe(5);
    expect(meta.keywords.sort()).toEqual(['heron', 'sunset']);
    expect(meta.anytagKeywords).toEqual(['bird']);
    expect(meta.sidecar).toBe(sidecar);
  });

  it('falls back to the file time when a photo says nothing', async () => {
    const file = await plainImage(path.join(dir, 'bare.png'), 'png');
    const meta = await metadataOf(file);
    expect(meta).toEqual({
      takenAt: '2026-11-29T10:00:00.000Z',
      takenFrom: 'file',
      keywords: [],
    });
  });
});

describe('keywords from every tool', () => {
  it('reads IPTC-only keywords (Photoshop block), Windows XPKeywords and MicrosoftPhoto', async () => {
    const dir = await tempDir();
    const file = await plainImage(path.join(dir, 'windows.jpg'), 'jpeg');
    await exiftoolWrite(file, [
      '-IPTC:Keywords=iptc-only',
      '-IPTC:ObjectName=Title from IPTC',
      '-EXIF:XPKeywords=windows one;windows two',
      '-XMP-microsoft:LastKeywordXMP=ms-photo',
    ]);
    const meta = await metadataOf(file);
    expect(meta.keywords.sort()).toEqual(['iptc-only', 'ms-photo', 'windows one', 'windows two']);
    expect(meta.title).toBe('Title from IPTC');
  });
});
