/**
 * Saved searches, shown as smart albums: a query kept in the catalogue's settings, counted
 * afresh each time the albums are listed, so an album grows as matching photos arrive.
 */
import { z } from 'zod';
import type { Catalogue } from '../store/catalogue.js';
import type { Handlers } from './api.js';
import type { SavedSearch, SearchResult } from './contract.js';

const SETTING = 'savedSearches';
/** Photos counted per album at most (the count then reads "10,000+"). */
const COUNT_LIMIT = 10_000;

const storedSchema = z.array(z.object({ query: z.string(), name: z.string() }));

type Search = (input: {
  query: string;
  limit: number;
  matchedOnly: boolean;
}) => Promise<SearchResult>;

export function savedSearchHandlers(
  catalogue: Catalogue,
  search: Search,
): Handlers<'listSavedSearches' | 'saveSearch' | 'removeSavedSearch'> {
  const stored = (): { query: string; name: string }[] => {
    const parsed = storedSchema.safeParse(catalogue.setting(SETTING) ?? []);
    return parsed.success ? parsed.data : [];
  };
  const list = async (): Promise<{ searches: SavedSearch[] }> => ({
    searches: await Promise.all(
      stored().map(async (saved) => {
        const result = await search({ query: saved.query, limit: COUNT_LIMIT, matchedOnly: true })
          .then((r) => r.hits.length)
          .catch(() => null);
        return { ...saved, matches: result };
      }),
    ),
  });
  return {
    listSavedSearches: list,
    saveSearch: async ({ query, name }) => {
      const rest = stored().filter((s) => s.query !== query);
      catalogue.setSetting(SETTING, [...rest, { query, name: name ?? query }]);
      await catalogue.flush();
      return list();
    },
    removeSavedSearch: async ({ query }) => {
      catalogue.setSetting(
        SETTING,
        stored().filter((s) => s.query !== query),
      );
      await catalogue.flush();
      return list();
    },
  };
}
