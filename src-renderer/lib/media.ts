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
