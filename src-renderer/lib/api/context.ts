/** The API client reaches components through Svelte context, set once when the app mounts. */
import { getContext } from 'svelte';
import type { ApiClient } from './client.js';

export const CLIENT_KEY = Symbol('anytag api client');

export function useClient(): ApiClient {
  const client = getContext<ApiClient | undefined>(CLIENT_KEY);
  if (!client) throw new Error('No API client in context: mount the app with one');
  return client;
}
