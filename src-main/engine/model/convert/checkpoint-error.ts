/**
 * Every refusal of a checkpoint goes through here: one AnytagError code (the checkpoint is the
 * user's input) and a stable `details.reason` naming what was wrong, plus the file.
 */
import { AnytagError } from '../../errors.js';

export type CheckpointProblem =
  | 'unreadable' // cannot open / read the file
  | 'not-zip' // not a zip archive, or cut short (no end-of-central-directory record)
  | 'legacy-format' // the pre-1.6 torch.save format (pickles, not a zip)
  | 'not-torch' // a zip, but no <name>/data.pkl: not a torch.save file
  | 'truncated' // an entry is shorter than its tensors need
  | 'unsupported-pickle' // data.pkl uses an opcode or class the reader does not allow
  | 'unsupported-tensor' // dtype / strides / device the converter cannot take
  | 'not-official' // the pickle is not {'model': state_dict, …}
  | 'wrong-architecture' // tensor names or shapes differ from the template
  | 'template-invalid'; // the bundled ONNX template is damaged (a build problem)

export function checkpointError(
  problem: CheckpointProblem,
  file: string,
  message: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): AnytagError {
  return new AnytagError(
    'INVALID_INPUT',
    `Checkpoint ${file}: ${message}`,
    { reason: problem, file, ...details },
    cause,
  );
}
