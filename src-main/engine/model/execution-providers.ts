/**
 * Which onnxruntime execution providers to try, best first, per platform. The CPU provider is
 * always last: it is the one that cannot be missing.
 */
export type ExecutionProviderName = 'cuda' | 'dml' | 'coreml' | 'webgpu' | 'cpu';

export const EXECUTION_PROVIDERS: readonly ExecutionProviderName[] = [
  'cuda',
  'dml',
  'coreml',
  'webgpu',
  'cpu',
];

export function defaultProviderOrder(
  platform: NodeJS.Platform = process.platform,
): ExecutionProviderName[] {
  switch (platform) {
    case 'win32':
      return ['dml', 'webgpu', 'cpu'];
    case 'darwin':
      return ['coreml', 'webgpu', 'cpu'];
    case 'linux':
      return ['cuda', 'webgpu', 'cpu'];
    default:
      return ['cpu'];
  }
}

/**
 * The order to try for a user preference: "auto" is the platform order; a named provider is
 * tried first and still falls back to CPU, so a bad setting never leaves the app without a model.
 */
export function providerOrder(
  preference: ExecutionProviderName | 'auto',
  platform: NodeJS.Platform = process.platform,
): ExecutionProviderName[] {
  if (preference === 'auto') return defaultProviderOrder(platform);
  return preference === 'cpu' ? ['cpu'] : [preference, 'cpu'];
}
