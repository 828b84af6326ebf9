/** pack.json, version 1 (docs/model-pack.md), as a schema: the contract between training/ and the app. */
import { z } from 'zod';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256 (64 characters)');
const fileName = z
  .string()
  .min(1)
  .refine((name) => !name.includes('/') && !name.includes('\\') && name !== '.' && name !== '..', {
    message: 'a plain file name inside the pack folder',
  });
const rgb = z.tuple([z.number(), z.number(), z.number()]);
const positiveInt = z.number().int().positive();

export const packManifestSchema = z.strictObject({
  format: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lowercase letters, digits, ".", "_" or "-"'),
  name: z.string().min(1).max(200),
  licence: z.string().min(1),
  source: z.string().min(1),
  description: z.string().optional(),
  model: z.strictObject({ file: fileName, sha256 }),
  input: z.strictObject({
    name: z.string().min(1),
    width: positiveInt.max(4096),
    height: positiveInt.max(4096),
    layout: z.literal('NCHW'),
    resize: z.enum(['squash', 'cover', 'contain']),
    kernel: z.enum(['nearest', 'linear', 'cubic', 'mitchell', 'lanczos3']),
    scale: z.number().positive(),
    mean: rgb,
    std: rgb.refine((std) => std.every((s) => s > 0), 'every std must be > 0'),
    background: rgb,
  }),
  output: z.strictObject({
    name: z.string().min(1),
    k: positiveInt.max(256),
    d: positiveInt.max(4096),
    order: z.enum(['kd', 'dk']),
  }),
  labels: z.strictObject({ file: fileName, vectors: fileName, sha256 }),
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
