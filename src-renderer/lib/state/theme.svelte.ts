/** Light, dark or the system's choice; remembered in localStorage, applied as data-theme. */
export type ThemeMode = 'system' | 'light' | 'dark';

const KEY = 'anytag.theme';

export class Theme {
  mode = $state<ThemeMode>('system');

  constructor(private readonly storage: Storage | undefined = globalThis.localStorage) {
    const saved = storage?.getItem(KEY);
    if (saved === 'light' || saved === 'dark' || saved === 'system') this.mode = saved;
    this.apply();
  }

  set(mode: ThemeMode): void {
    this.mode = mode;
    this.storage?.setItem(KEY, mode);
    this.apply();
  }

  private apply(): void {
    const root = globalThis.document?.documentElement;
    if (!root) return;
    if (this.mode === 'system') delete root.dataset.theme;
    else root.dataset.theme = this.mode;
  }
}
