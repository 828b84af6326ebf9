/**
 * The slice of the WebAssembly JS API the scoring kernel uses. Node has it at runtime, but
 * @types/node 20 does not declare it and the project's lib (ES2023, no DOM) has no copy.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBufferLike;
    grow(pages: number): number;
  }
  function validate(bytes: Uint8Array): boolean;
}
