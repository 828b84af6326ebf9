// Svelte compiler options shared by vite (web build), electron-vite and svelte-check.
export default {
  compilerOptions: { runes: true },
};
