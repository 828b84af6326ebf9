/** The app's addresses: a folder's unreadable photos have one, and it survives a round trip. */
import { describe, expect, it } from 'vitest';
import { formatRoute, onlyPhotoDiffers, parseRoute } from '../../../src-renderer/lib/route.js';

describe('routes', () => {
  it('writes and reads a folder limited to its unreadable photos', () => {
    const route = {
      view: 'photos' as const,
      query: '',
      photo: null,
      folder: '/home/me/Trips & more',
      taken: null,
      state: 'error' as const,
    };
    const hash = formatRoute(route);
    expect(hash).toBe('#/photos?folder=%2Fhome%2Fme%2FTrips+%26+more&state=error');
    expect(parseRoute(hash)).toEqual(route);
  });

  it('ignores a state it does not know, and tells state changes from photo steps', () => {
    expect(parseRoute('#/photos?state=broken').state).toBeNull();
    expect(parseRoute('#/photos').state).toBeNull();
    const a = parseRoute('#/photos?folder=/a&photo=1');
    expect(onlyPhotoDiffers(a, parseRoute('#/photos?folder=/a&photo=2'))).toBe(true);
    expect(onlyPhotoDiffers(a, parseRoute('#/photos?folder=/a&state=error&photo=2'))).toBe(false);
  });
});
