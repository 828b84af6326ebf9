/** pack.json, version 1 (docs/model-pack.md), as a schema: the contract between training/ and the app. */
import { z } from 'zod';
import { isReservedId } from '../store/keyed-record.js';
import { EXECUTION_PROVIDERS } from './execution-providers.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256 (64 characters)');
const fileName = z
  .string()
  .min(1)
  .refine((name) => !name.includes('/') && !name.includes('\\') && name !== '.' && name !== '..', {
    message: 'a plain file name inside the pack folder',
  });
const rgb = z.tuple([z.number(), z.number(), z.number()]);
const positiveInt = z.number().int().positive();

/**
 * Whose resampling feeds the model (docs/model-pack.md): "libvips" (sharp, the app's own, the
 * default of packs without the field) or "pillow" (Pillow's Image.resize, what PyTorch training
 * and inference scripts use, e.g. the official SDL infer.py). The kernel names the filter.
 */
export const RESAMPLE_REFERENCES = ['libvips', 'pillow'] as const;
export type ResampleReference = (typeof RESAMPLE_REFERENCES)[number];
/** The kernels Pillow's convolution resampling has (its NEAREST is not a convolution). */
const PILLOW_KERNELS = ['linear', 'cubic', 'lanczos3'];

export const packManifestSchema = z.strictObject({
  format: z.literal(1),
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lowercase letters, digits, ".", "_" or "-"')
    .refine((id) => !isReservedId(id), 'a reserved name (e.g. "constructor", "prototype")'),
  name: z.string().min(1).max(200),
  licence: z.string().min(1),
  source: z.string().min(1),
  description: z.string().optional(),
  model: z.strictObject({
    file: fileName,
    sha256,
    /**
     * Optional (additive to format 1): other files of the same model, each for the execution
     * providers it suits, e.g. an INT8 file for the CPU; any other provider runs `file`.
     */
    variants: z
      .array(
        z.strictObject({
          file: fileName,
          sha256,
          precision: z.enum(['int8', 'fp16', 'fp32']),
          providers: z.array(z.enum(EXECUTION_PROVIDERS)).min(1),
        }),
      )
      .optional(),
  }),
  input: z
    .strictObject({
      name: z.string().min(1),
      width: positiveInt.max(4096),
      height: positiveInt.max(4096),
      layout: z.literal('NCHW'),
      resize: z.enum(['squash', 'cover', 'contain']),
      kernel: z.enum(['nearest', 'linear', 'cubic', 'mitchell', 'lanczos3']),
      resample: z.enum(RESAMPLE_REFERENCES).optional(),
      scale: z.number().positive(),
      mean: rgb,
      std: rgb.refine((std) => std.every((s) => s > 0), 'every std must be > 0'),
      background: rgb,
    })
    .refine((input) => input.resample !== 'pillow' || PILLOW_KERNELS.includes(input.kernel), {
      path: ['kernel'],
      message: `resample "pillow" takes kernel ${PILLOW_KERNELS.join(' | ')}`,
    })
    .refine((input) => input.resample !== 'pillow' || input.resize === 'squash', {
      path: ['resize'],
      message: 'resample "pillow" takes resize "squash" (Image.resize to width × height)',
    }),
  output: z
    .strictObject({
      name: z.string().min(1),
      k: positiveInt.max(256),
      d: positiveInt.max(4096),
      order: z.enum(['kd', 'dk']),
      /**
       * Optional: the rows computed from pixel statistics (a photo's look), distinct, each < k.
       * The app zeroes them for a photo whose decode was damaged (its pixels are partly a fill).
       */
      pixelRows: z.array(z.number().int().nonnegative()).max(256).optional(),
    })
    .refine((output) => (output.pixelRows ?? []).every((row) => row < output.k), {
      path: ['pixelRows'],
      message: 'every row must be below k',
    })
    .refine((output) => new Set(output.pixelRows).size === (output.pixelRows ?? []).length, {
      path: ['pixelRows'],
      message: 'rows must be distinct',
    }),
  /** `sha256` is of the vectors; `fileSha256`, of labels.json (checked when given). */
  labels: z.strictObject({
    file: fileName,
    vectors: fileName,
    sha256,
    fileSha256: sha256.optional(),
  }),
  wordTable: z.strictObject({ file: fileName, sha256, dim: positiveInt }),
  wordMap: z
    .strictObject({ file: fileName, sha256, from: positiveInt, to: positiveInt })
    .nullable()
    .optional(),
});

export type PackManifest = z.infer<typeof packManifestSchema>;
export type InputSpec = PackManifest['input'];
export type OutputSpec = PackManifest['output'];

export const labelsFileSchema = z.strictObject({
  labels: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(200),
        specificity: z.number().int().nonnegative().optional(),
        /** Every label this one implies (its hypernyms that are labels: dog → canine, mammal…). */
        broader: z.array(z.string().min(1).max(200)).max(200).optional(),
      }),
    )
    .min(1),
});

export type SeenLabel = z.infer<typeof labelsFileSchema>['labels'][number];

/** "output.k: Too big…" — the dotted path first, so the message names the field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
