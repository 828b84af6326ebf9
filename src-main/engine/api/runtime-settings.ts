/**
 * The execution provider and thread count the user chose in Settings, kept in the catalogue's
 * settings. The model session is made on first use, so a choice applies at once when nothing has
 * been indexed yet in this run, else at the next start. An explicit --provider/--threads wins.
 */
import { z } from 'zod';
import type { EngineOptions } from '../engine-options.js';
import { AnytagError } from '../errors.js';
import { defaultProviderOrder, type ExecutionProviderName } from '../model/execution-providers.js';
import type { ProviderAvailability } from '../model/session.js';
import type { Catalogue } from '../store/catalogue.js';
import type { Handlers } from './api.js';
import { providerChoice, type RuntimeSettings } from './contract.js';

/** What the settings read and write: the catalogue's settings, the engine's options, and the
 *  provider of the running session (undefined: none yet). The Engine is one. */
export interface RuntimeHost {
  readonly catalogue: Catalogue;
  readonly options: Pick<EngineOptions, 'provider' | 'threads'>;
  readonly provider: string | undefined;
}

/** Where the choice is kept among the catalogue's settings. */
const RUNTIME_SETTING = 'runtime';

type Saved = { provider?: ExecutionProviderName | 'auto'; threads?: number };

function saved(engine: RuntimeHost): Saved {
  const value = engine.catalogue.setting(RUNTIME_SETTING);
  const parsed = z
    .object({ provider: providerChoice.optional(), threads: z.number().int().min(0).optional() })
    .safeParse(value);
  return parsed.success ? parsed.data : {};
}

/** Puts the saved choice into the engine's options unless the command line set them. */
export function applySavedRuntimeSettings(
  engine: RuntimeHost,
  given: { provider?: string; threads?: number },
): void {
  const choice = saved(engine);
  if ((given.provider ?? 'auto') === 'auto' && choice.provider)
    engine.options.provider = choice.provider;
  if (given.threads === undefined && choice.threads !== undefined)
    engine.options.threads = choice.threads;
}

/** model/session.ts providerAvailability, loading onnxruntime-node only when asked. */
async function providerAvailability(): Promise<ProviderAvailability[]> {
  return (await import('../model/session.js')).providerAvailability();
}

async function describe(engine: RuntimeHost, applied: boolean): Promise<RuntimeSettings> {
  const choice = saved(engine);
  const provider = choice.provider ?? engine.options.provider ?? 'auto';
  const threads = choice.threads ?? engine.options.threads ?? 0;
  const providers = await providerAvailability();
  const available = new Set(providers.filter((p) => p.available).map((p) => p.provider));
  return {
    provider,
    threads,
    inUse: { provider: engine.provider ?? null },
    choices: defaultProviderOrder().filter((p) => available.has(p)),
    providers,
    restartNeeded: !applied,
  };
}

/** INVALID_INPUT for a provider this installation cannot start, naming why and what it can. */
async function checkAvailable(provider: ExecutionProviderName | 'auto' | undefined): Promise<void> {
  if (provider === undefined || provider === 'auto') return;
  const all = await providerAvailability();
  const found = all.find((p) => p.provider === provider);
  if (found?.available) return;
  const usable = all.filter((p) => p.available).map((p) => p.provider);
  throw new AnytagError(
    'INVALID_INPUT',
    `provider: "${provider}" is not available here (${found?.reason ?? 'unknown provider'}); choose auto or one of ${usable.join(', ')}`,
    { field: 'provider', provider, available: usable },
  );
}

export function runtimeSettingsHandlers(
  engine: RuntimeHost,
): Handlers<'runtimeSettings' | 'setRuntimeSettings'> {
  return {
    runtimeSettings: async () =>
      describe(
        engine,
        (saved(engine).provider ?? 'auto') === (engine.options.provider ?? 'auto') &&
          (saved(engine).threads ?? 0) === (engine.options.threads ?? 0),
      ),
    setRuntimeSettings: async (input) => {
      await checkAvailable(input.provider);
      engine.catalogue.setSetting(RUNTIME_SETTING, { ...saved(engine), ...input });
      await engine.catalogue.flush();
      // No session yet: the next one is made with the new choice.
      const applied = engine.provider === undefined;
      if (applied) applySavedRuntimeSettings(engine, {});
      return describe(engine, applied);
    },
  };
}
