/**
 * The execution provider and thread count the user chose in Settings, kept in the catalogue's
 * settings. The model session is made on first use, so a choice applies at once when nothing has
 * been indexed yet in this run, else at the next start. An explicit --provider/--threads wins.
 */
import { z } from 'zod';
import type { Engine } from '../engine.js';
import {
  EXECUTION_PROVIDERS,
  defaultProviderOrder,
  type ExecutionProviderName,
} from '../model/execution-providers.js';

const providerChoice = z.enum(['auto', ...EXECUTION_PROVIDERS]);

export const runtimeSettingsInputs = {
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
  /** Providers worth offering here, best first ("auto" tries them in this order). */
  choices: ExecutionProviderName[];
  /** The choice differs from the running session's: it applies at the next start. */
  restartNeeded: boolean;
}

export interface RuntimeSettingsResults {
  runtimeSettings: RuntimeSettings;
  setRuntimeSettings: RuntimeSettings;
}

type Saved = { provider?: ExecutionProviderName | 'auto'; threads?: number };

function saved(engine: Engine): Saved {
  const value = (engine.catalogue.data.settings as { runtime?: unknown }).runtime;
  const parsed = z
    .object({ provider: providerChoice.optional(), threads: z.number().int().min(0).optional() })
    .safeParse(value);
  return parsed.success ? parsed.data : {};
}

/** Puts the saved choice into the engine's options unless the command line set them. */
export function applySavedRuntimeSettings(
  engine: Engine,
  given: { provider?: string; threads?: number },
): void {
  const choice = saved(engine);
  if ((given.provider ?? 'auto') === 'auto' && choice.provider)
    engine.options.provider = choice.provider;
  if (given.threads === undefined && choice.threads !== undefined)
    engine.options.threads = choice.threads;
}

function describe(engine: Engine, applied: boolean): RuntimeSettings {
  const choice = saved(engine);
  const provider = choice.provider ?? engine.options.provider ?? 'auto';
  const threads = choice.threads ?? engine.options.threads ?? 0;
  return {
    provider,
    threads,
    inUse: { provider: engine.provider ?? null },
    choices: defaultProviderOrder(),
    restartNeeded: !applied,
  };
}

export function runtimeSettingsHandlers(engine: Engine) {
  return {
    runtimeSettings: async (): Promise<RuntimeSettings> =>
      describe(
        engine,
        (saved(engine).provider ?? 'auto') === (engine.options.provider ?? 'auto') &&
          (saved(engine).threads ?? 0) === (engine.options.threads ?? 0),
      ),
    setRuntimeSettings: async (input: Saved): Promise<RuntimeSettings> => {
      const settings = engine.catalogue.data.settings as { runtime?: Saved };
      settings.runtime = { ...saved(engine), ...input };
      engine.catalogue.touched();
      await engine.catalogue.flush();
      // No session yet: the next one is made with the new choice.
      const applied = engine.provider === undefined;
      if (applied) applySavedRuntimeSettings(engine, {});
      return describe(engine, applied);
    },
  };
}
