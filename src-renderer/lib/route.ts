/**
 * The address of what is on screen, as a URL hash, so reload restores it, Back and Forward walk
 * it and a link to a search or a photo can be shared in web mode:
 *   #/photos?q=red%20car&photo=<id>&folder=/home/me/Trips&taken=2023-07   #/vocabulary   #/folders
 *   #/settings
 *   #/photos?folder=/home/me/Trips&state=error   (that folder's unreadable photos)
 */
import type { PhotoSummary } from '../../src-main/engine/api/contract.js';
import { isPeriod } from './periods.js';

type PhotoState = PhotoSummary['state'];
const STATES: readonly PhotoState[] = ['pending', 'indexed', 'error', 'offline'];
export const VIEWS = ['photos', 'vocabulary', 'folders', 'settings'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  /** The search as typed ('' for none). */
  query: string;
  /** The open photo's id. */
  photo: string | null;
  /** The folder the gallery is limited to. */
  folder: string | null;
  /** Only photos in this state (error: the unreadable ones); absent: all. */
  state?: PhotoState | null;
  /** The capture period it is limited to (YYYY, YYYY-MM, YYYY-MM-DD or "none"). */
  taken: string | null;
}

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const params = new URLSearchParams(search);
  const view = (VIEWS as readonly string[]).includes(path) ? (path as View) : 'photos';
  return {
    view,
    query: params.get('q') ?? '',
    photo: params.get('photo') || null,
    folder: params.get('folder') || null,
    state: (STATES as readonly string[]).includes(params.get('state') ?? '')
      ? (params.get('state') as PhotoState)
      : null,
    // A period the engine would refuse is left out (the whole library shows, not an error).
    taken: isPeriod(params.get('taken') ?? '') ? params.get('taken') : null,
  };
}

export function formatRoute(route: Route): string {
  const params = new URLSearchParams();
  if (route.query) params.set('q', route.query);
  if (route.folder) params.set('folder', route.folder);
  if (route.state) params.set('state', route.state);
  if (route.taken) params.set('taken', route.taken);
  if (route.photo) params.set('photo', route.photo);
  const search = params.toString();
  return `#/${route.view}${search ? `?${search}` : ''}`;
}

/** Two routes that differ only in which photo is open (stepping ‹ ›: one history entry). */
export function onlyPhotoDiffers(a: Route, b: Route): boolean {
  return (
    a.view === b.view &&
    a.query === b.query &&
    a.folder === b.folder &&
    (a.state ?? null) === (b.state ?? null) &&
    a.taken === b.taken &&
    a.photo !== null &&
    b.photo !== null
  );
}
