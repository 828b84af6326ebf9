/**
 * Whether the photo view offers a map link for photos with a GPS position. Off by default: the
 * app makes no network call for maps, and even when on, only a click on the link opens
 * OpenStreetMap (in the browser). Remembered in localStorage.
 */
const KEY = 'anytag.mapLinks';

export class MapLinks {
  allowed = $state(false);

  constructor(private readonly storage: Storage | undefined = globalThis.localStorage) {
    this.allowed = storage?.getItem(KEY) === 'on';
  }

  set(allowed: boolean): void {
    this.allowed = allowed;
    this.storage?.setItem(KEY, allowed ? 'on' : 'off');
  }
}

/** The OpenStreetMap page centred on a position (WGS 84 degrees). */
export function mapUrl(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(5);
  const lon = longitude.toFixed(5);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=15/${lat}/${lon}`;
}
