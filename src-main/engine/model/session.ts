/**
 * The onnxruntime-node owner. Creates a session with the first execution provider that starts
 * and runs image batches to embedding matrices. Nothing else imports onnxruntime-node.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { AnytagError } from '../errors.js';
import {
  EXECUTION_PROVIDERS,
  providerOrder,
  type ExecutionProviderName,
} from './execution-providers.js';
import type { OutputSpec } from './pack-schema.js';
import { hasVulkanLoader, VULKAN_LOADER } from './vulkan-loader.js';

// onnxruntime logs a provider that fails to load as an error before we can catch it; failures
// reach us as exceptions anyway (and are reported in `fallbacks`), so keep its log to fatal ones.
ort.env.logLevel = 'fatal';

export interface SessionOptions {
  provider?: ExecutionProviderName | 'auto';
  /** Intra-op threads for the CPU provider; 0 lets onnxruntime decide. */
  threads?: number;
}

/** A model's files: `file` for any provider, or the one `byProvider` names for it. */
export interface ModelFiles {
  file: string;
  byProvider: Partial<Record<ExecutionProviderName, string>>;
  /**
   * Checks a file before the session reads it (its sha256 against pack.json; model/pack.ts
   * modelCheckedOnUse), so only the file a provider runs is hashed. Throws an AnytagError
   * (PACK_INVALID) for a bad file, which ends the start: no other provider is tried.
   */
  verify?: (file: string) => Promise<void>;
}

export interface ProviderAttempt {
  provider: ExecutionProviderName;
  error: string;
}

export class ModelSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly provider: ExecutionProviderName,
    /** Providers that were tried before the chosen one, with why they failed. */
    readonly fallbacks: ProviderAttempt[],
    /** The model file this session runs (a provider's variant, or the pack's model file). */
    readonly modelFile: string,
    private readonly inputName: string,
    private readonly outputName: string,
  ) {}

  /**
   * Starts a session on the first provider that loads: each provider runs its own file when
   * `model` names one for it (e.g. INT8 on the CPU), else the common file.
   */
  static async create(
    model: string | ModelFiles,
    io: { inputName: string; output: OutputSpec },
    options: SessionOptions = {},
  ): Promise<ModelSession> {
    const fallbacks: ProviderAttempt[] = [];
    const files: ModelFiles = typeof model === 'string' ? { file: model, byProvider: {} } : model;
    const modelPath = files.file;
    const unavailable = new Map(
      providerAvailability()
        .filter((p) => !p.available)
        .map((p) => [p.provider, p.reason ?? 'not available here']),
    );
    for (const provider of providerOrder(options.provider ?? 'auto')) {
      // Never probe a provider that cannot exist here: the probe itself may print native
      // warnings onnxruntime's log level does not cover (Dawn's "Couldn't load Vulkan").
      const reason = unavailable.get(provider);
      if (reason !== undefined) {
        fallbacks.push({ provider, error: `not tried: ${reason}` });
        continue;
      }
      const file = files.byProvider[provider] ?? files.file;
      try {
        await files.verify?.(file);
        // Ask for exactly one provider: onnxruntime would otherwise pick silently, and asking
        // for e.g. cuda+cpu still throws where the CUDA libraries are missing.
        const session = await ort.InferenceSession.create(file, {
          executionProviders: [provider],
          intraOpNumThreads: options.threads ?? 0,
          graphOptimizationLevel: 'all',
          // No memory pattern: tensors come from the arena one by one, which peaks ~50 MB lower
          // for a batch of 8 (starter pack) at the same speed.
          enableMemPattern: false,
          // Idle pool threads sleep instead of spinning for the next task: between batches the
          // model waits on decoding, and a spinning pool burns a core doing nothing (measured:
          // 1.2 s instead of 2.1 s of CPU for 120 starter-pack images on 2 threads).
          extra: {
            session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } },
          },
          // A GPU provider that cannot start is expected on many machines: we report it in
          // `fallbacks`, so onnxruntime's own error log for it would only be noise.
          logSeverityLevel: provider === 'cpu' ? 3 : 4,
        });
        checkIo(session, io.inputName, io.output.name, file);
        return new ModelSession(session, provider, fallbacks, file, io.inputName, io.output.name);
      } catch (error) {
        if (error instanceof AnytagError) throw error;
        fallbacks.push({
          provider,
          error: (error as Error).message.split('\n')[0] ?? String(error),
        });
      }
    }
    throw new AnytagError(
      'MODEL_RUNTIME',
      `No execution provider could load ${modelPath}: ${fallbacks.map((f) => `${f.provider}: ${f.error}`).join('; ')}`,
      { attempts: fallbacks },
    );
  }

  /** Runs [n, 3, h, w] float32 pixels; returns the raw output values for the n images. */
  async run(
    pixels: Float32Array,
    dims: readonly [number, number, number, number],
  ): Promise<Float32Array> {
    const input = new ort.Tensor('float32', pixels, dims);
    try {
      const result = await this.session.run({ [this.inputName]: input });
      const output = result[this.outputName];
      if (!output || output.type !== 'float32') {
        throw new AnytagError(
          'MODEL_RUNTIME',
          `Model output "${this.outputName}" is missing or not float32`,
        );
      }
      return output.data as Float32Array;
    } catch (error) {
      if (error instanceof AnytagError) throw error;
      throw new AnytagError(
        'MODEL_RUNTIME',
        `Model run failed: ${(error as Error).message}`,
        undefined,
        error,
      );
    } finally {
      input.dispose();
    }
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Whether an execution provider can be asked for here, and if not, why (words for a user). */
export interface ProviderAvailability {
  provider: ExecutionProviderName;
  available: boolean;
  /** Why it is not available (absent when it is). */
  reason?: string;
}

/**
 * The execution providers this installed onnxruntime-node can start, from its own list
 * (`listSupportedBackends`: the providers built into the binding for this platform). A provider
 * the package does not bundle (CUDA: onnxruntime-node downloads its libraries at install time,
 * skipped with ONNXRUNTIME_NODE_INSTALL=skip) counts only when its library lies beside the
 * binding. WebGPU on Linux runs on Vulkan, so it counts only where the Vulkan loader is installed
 * (vulkan-loader.ts). Available means "can be tried": a GPU provider may still fail to start (no
 * driver), and then the session falls back to the CPU as always. Sessions never try the others.
 */
export function providerAvailability(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
  vulkanLoader: () => boolean = hasVulkanLoader,
): ProviderAvailability[] {
  const backends = new Map(ort.listSupportedBackends().map((b) => [b.name, b.bundled]));
  const bindingDir = path.join(
    path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node')),
    '..',
    'bin',
    'napi-v6',
    platform,
    arch,
  );
  return EXECUTION_PROVIDERS.map((provider) => {
    const bundled = backends.get(provider);
    if (bundled === undefined) {
      return {
        provider,
        available: false,
        reason: `not part of onnxruntime-node ${ort.env.versions.common} on ${platform}-${arch}`,
      };
    }
    const library =
      platform === 'win32'
        ? `onnxruntime_providers_${provider}.dll`
        : `libonnxruntime_providers_${provider}.so`;
    if (!bundled && !existsSync(path.join(bindingDir, library))) {
      return {
        provider,
        available: false,
        reason: `its libraries (${library}) are not installed; reinstall onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=${provider === 'cuda' ? 'cuda12' : provider}`,
      };
    }
    if (provider === 'webgpu' && platform === 'linux' && !vulkanLoader()) {
      return {
        provider,
        available: false,
        reason: `WebGPU needs Vulkan on Linux, and no Vulkan loader (${VULKAN_LOADER}) is installed`,
      };
    }
    return { provider, available: true };
  });
}

function checkIo(
  session: ort.InferenceSession,
  inputName: string,
  outputName: string,
  modelPath: string,
): void {
  if (!session.inputNames.includes(inputName)) {
    throw new AnytagError(
      'PACK_INVALID',
      `input.name "${inputName}" is not an input of ${modelPath} (inputs: ${session.inputNames.join(', ')})`,
      { field: 'input.name' },
    );
  }
  if (!session.outputNames.includes(outputName)) {
    throw new AnytagError(
      'PACK_INVALID',
      `output.name "${outputName}" is not an output of ${modelPath} (outputs: ${session.outputNames.join(', ')})`,
      { field: 'output.name' },
    );
  }
}
