/**
 * Addresses of photo files. Both the web mode (`anytag serve`) and the desktop app's protocol
 * serve /media/<kind>/<id> beside the page, so one relative address fits both.
 */
export function thumbUrl(photoId: string): string {
  return `media/thumb/${encodeURIComponent(photoId)}`;
}

export function photoUrl(photoId: string): string {
  return `media/photo/${encodeURIComponent(photoId)}`;
}

export function fileName(file: string): string {
  return file.split(/[\\/]/).at(-1) ?? file;
}

/** The folder a file is in ("/a/b/c.jpg" → "/a/b"; Windows paths too). */
export function folderOf(file: string): string {
  const at = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return at <= 0 ? file.slice(0, at + 1) || file : file.slice(0, at);
}

/**
 * Why a photo could not be read, in words that fit a tile: the engine's message without the
 * photo's own path (the tile names the file), e.g. "is not an image format this build can decode".
 */
export function unreadableReason(photo: {
  path: string;
  error?: { message: string } | undefined;
}): string {
  const message = photo.error?.message ?? '';
  const reason = message
    .replaceAll(photo.path, '')
    .replace(/^[\s:,-]+/, '')
    .trim();
  return reason || 'could not be read';
}
