// Types of scripts/wasm-kernels.mjs, for the TypeScript build configs that import it.

/** The .wat files under src-main/, as paths relative to it. */
export function watSources(): string[];
/** The validated module bytes of one .wat file (a path relative to src-main/). */
export function assembleWat(relative: string): Promise<Uint8Array>;
/** Writes every kernel into outDir (mirroring src-main/, or flat); returns the written files. */
export function writeWasmKernels(outDir: string, options?: { flat?: boolean }): Promise<string[]>;
