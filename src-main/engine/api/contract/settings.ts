/** The contract's settings area: the execution provider and threads the model runs with. */
import { z } from 'zod';
import {
  EXECUTION_PROVIDERS,
  type ExecutionProviderName,
} from '../../model/execution-providers.js';
import type { ProviderAvailability } from '../../model/session.js';

/** An execution provider, or "auto" (the best this platform offers). */
export const providerChoice = z.enum(['auto', ...EXECUTION_PROVIDERS]);

export const settingsInputSchemas = {
  /** The execution provider and threads: chosen, in use, and the choices on this platform. */
  runtimeSettings: z.strictObject({}),
  /** Chooses the execution provider and/or threads (0: onnxruntime's choice). */
  setRuntimeSettings: z.strictObject({
    provider: providerChoice.optional(),
    threads: z.number().int().min(0).max(256).optional(),
  }),
} as const;

export interface RuntimeSettings {
  provider: ExecutionProviderName | 'auto';
  threads: number;
  /** What the running model session uses (null: no session yet). */
  inUse: { provider: string | null };
  /** Providers worth offering here that can start, best first ("auto" tries them in order). */
  choices: ExecutionProviderName[];
  /** Every provider Anytag knows, and whether this installation can start it (else why not). */
  providers: ProviderAvailability[];
  /** The choice differs from the running session's: it applies at the next start. */
  restartNeeded: boolean;
}

/** The settings area's results, by method. */
export interface SettingsMethodResults {
  runtimeSettings: RuntimeSettings;
  setRuntimeSettings: RuntimeSettings;
}
