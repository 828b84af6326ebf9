/**
 * IPTC-IIM (the "IPTC" block of JPEG, TIFF and PSD files): the few datasets Anytag reads.
 * The block comes either bare (TIFF's tag 33723: records `0x1C rr dd LLLL data`) or wrapped in a
 * Photoshop image resource block ("Photoshop 3.0\0", then `8BIM` resources; IIM is resource
 * 0x0404), as sharp hands a JPEG's APP13 segment over. Text is read as UTF-8, which is what
 * exiftool, Lightroom and digiKam write (CodedCharacterSet ESC % G). Source: IPTC-IIM 4.2 §1.5,
 * Adobe Photoshop File Formats Specification "Image Resource Blocks".
 */

/** The datasets of record 2 (application) that Anytag reads. */
export interface IimFields {
  /** 2:25, repeatable. */
  keywords: string[];
  /** 2:05 Object Name (the title). */
  objectName?: string;
  /** 2:120 Caption/Abstract (the description). */
  caption?: string;
}

const PHOTOSHOP = Buffer.from('Photoshop 3.0\0', 'latin1');
const RESOURCE = Buffer.from('8BIM', 'latin1');
const IPTC_RESOURCE_ID = 0x0404;

/** Reads the keywords, object name and caption of an IIM block; a malformed tail is ignored. */
export function readIim(block: Buffer): IimFields {
  const iim = block.subarray(0, PHOTOSHOP.length).equals(PHOTOSHOP)
    ? iimResource(block.subarray(PHOTOSHOP.length))
    : block;
  const fields: IimFields = { keywords: [] };
  let at = iim ? iim.indexOf(0x1c) : -1;
  while (iim && at >= 0 && at + 5 <= iim.length && iim[at] === 0x1c) {
    const record = iim[at + 1]!;
    const dataset = iim[at + 2]!;
    const length = iim.readUInt16BE(at + 3);
    // Extended lengths (bit 15 set) only occur for huge datasets (previews), never for text.
    if (length & 0x8000) break;
    const value = iim.toString('utf8', at + 5, Math.min(iim.length, at + 5 + length));
    if (record === 2 && dataset === 25 && value.trim()) fields.keywords.push(value.trim());
    if (record === 2 && dataset === 5 && value.trim()) fields.objectName = value.trim();
    if (record === 2 && dataset === 120 && value.trim()) fields.caption = value.trim();
    at += 5 + length;
  }
  return fields;
}

/** The IIM bytes inside a Photoshop resource block, or undefined when it holds none. */
function iimResource(resources: Buffer): Buffer | undefined {
  let at = 0;
  while (at + 12 <= resources.length && resources.subarray(at, at + 4).equals(RESOURCE)) {
    const id = resources.readUInt16BE(at + 4);
    const nameLength = resources[at + 6]!;
    // The Pascal name (length byte + text) is padded to an even size.
    const nameSize = (nameLength + 2) & ~1;
    const sizeAt = at + 6 + nameSize;
    if (sizeAt + 4 > resources.length) return undefined;
    const size = resources.readUInt32BE(sizeAt);
    const dataAt = sizeAt + 4;
    if (id === IPTC_RESOURCE_ID) return resources.subarray(dataAt, dataAt + size);
    at = dataAt + size + (size & 1);
  }
  return undefined;
}
