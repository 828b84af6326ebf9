/**
 * `anytag vocab …`: the vocabulary from the terminal, over the same API as the app.
 *   list [filter]  add <text>  rm <label>  rename <label> <to>  hide|show <label>
 *   alias <label> <alias…> [--remove]  threshold <label> <value|auto>  preview <text>
 *   up|down|clear <photo> <label>  calibrate
 */
import path from 'node:path';
import type { ApiClient } from './remote-api.js';
import type { ApiResults, LabelChangeResult, LabelSummary } from '../engine/api/contract.js';
import { AnytagError } from '../engine/errors.js';
import { DEFAULT_LIMIT, type CliOptions } from './options.js';

export const VOCAB_USAGE = `anytag vocab <action>:
  list [text]                      labels (with --all: hidden ones too), thresholds, photo counts
  add <text> [--alias <word>]…     a user label (word or phrase); tags the library at once
  rm <label>                       removes a user label; a seen label is hidden instead
  rename <label> <new name>        renames a label
  hide <label> | show <label>      hides a label from tags and lists, or shows it again
  alias <label> <alias>… [--remove]  combines synonyms into a label (or takes them off)
  threshold <label> <value|auto>   sets a threshold by hand, or back to the calibrated one
  preview <text> [--threshold n]   photos a label would tag, without saving it
  up|down|clear <photo> <label>    thumbs-up / thumbs-down on a photo's tag (moves the threshold)
  calibrate                        recalibrates every threshold from the library`;

type Write = (value: unknown, text: () => string) => void;

export async function runVocab(api: ApiClient, options: CliOptions, write: Write): Promise<void> {
  const [action, ...args] = options.args;
  const need = (count: number, usage: string): string[] => {
    if (args.length < count) throw new AnytagError('INVALID_INPUT', `usage: anytag vocab ${usage}`);
    return args;
  };
  const changed = (result: LabelChangeResult, verb: string): void =>
    write(result, () => `${verb} ${describe(result.label)} (${photosRetagged(result.retagged)})`);
  switch (action) {
    case 'list': {
      const result = await api.call('listLabels', {
        hidden: options.all,
        ...(args[0] && { filter: args.join(' ') }),
        limit: options.limit ?? DEFAULT_LIMIT,
      });
      write(result, () => formatLabels(result));
      return;
    }
    case 'add': {
      const text = need(1, 'add <text>').join(' ');
      changed(await api.call('addLabel', { text, aliases: options.aliases }), 'added');
      return;
    }
    case 'rm': {
      const result = await api.call('removeLabel', { label: need(1, 'rm <label>').join(' ') });
      write(result, () => {
        const name = `"${result.label.name}"`;
        const tail = `(${photosRetagged(result.retagged)})`;
        if (result.change === 'alias removed') {
          return `removed the alias "${result.alias}" from ${name} ${tail}`;
        }
        if (result.change === 'hidden') {
          return `hid the pack's label ${name}: pack labels are hidden, never removed (\`anytag vocab show ${result.label.name}\` brings it back) ${tail}`;
        }
        return `removed the label ${name} ${tail}`;
      });
      return;
    }
    case 'rename': {
      const [label, ...to] = need(2, 'rename <label> <new name>');
      changed(await api.call('renameLabel', { label: label!, to: to.join(' ') }), 'renamed to');
      return;
    }
    case 'hide':
    case 'show': {
      const label = need(1, `${action} <label>`).join(' ');
      changed(
        await api.call('hideLabel', { label, hidden: action === 'hide' }),
        `${action === 'hide' ? 'hid' : 'showing'}`,
      );
      return;
    }
    case 'alias': {
      const [label, ...aliases] = need(2, 'alias <label> <alias>…');
      let result: LabelChangeResult | undefined;
      for (const alias of aliases) {
        result = await api.call('aliasLabel', { label: label!, alias, remove: options.remove });
      }
      changed(result!, options.remove ? 'aliases removed from' : 'aliases added to');
      return;
    }
    case 'threshold': {
      const [label, value] = need(2, 'threshold <label> <value|auto>');
      const threshold = value === 'auto' ? null : Number(value);
      if (threshold !== null && !Number.isFinite(threshold)) {
        throw new AnytagError(
          'INVALID_INPUT',
          `threshold must be a number or "auto", got "${value}"`,
        );
      }
      changed(
        await api.call('setLabelThreshold', { label: label!, threshold }),
        'threshold set for',
      );
      return;
    }
    case 'preview': {
      const text = need(1, 'preview <text>').join(' ');
      const result = await api.call('previewLabel', {
        text,
        aliases: options.aliases,
        limit: options.limit ?? DEFAULT_LIMIT,
        ...(options.threshold !== undefined && { threshold: options.threshold }),
      });
      write(result, () => formatPreview(result));
      return;
    }
    case 'up':
    case 'down':
    case 'clear': {
      const [photo, ...label] = need(2, `${action} <photo> <label>`);
      const result = await api.call('tagFeedback', {
        photo: path.resolve(photo!),
        label: label.join(' '),
        vote: action,
      });
      const { before, after } = result.threshold;
      write(result, () =>
        [
          `${action} ${result.label.name} on ${path.basename(result.photo.path)} (score ${result.score.toFixed(3)})`,
          `threshold ${before?.toFixed(3) ?? '—'} → ${after?.toFixed(3) ?? '—'}; ${photosRetagged(result.retagged)}`,
        ].join('\n'),
      );
      return;
    }
    case 'calibrate': {
      const result = await api.call('recalibrate', {});
      write(
        result,
        () =>
          `calibrated ${result.labels} labels on ${result.sampled} of ${result.photos} photos (prior τ₀ = ${result.prior.toFixed(3)}) in ${result.seconds.toFixed(1)} s; ${photosRetagged(result.retagged)}`,
      );
      return;
    }
    default:
      throw new AnytagError(
        'INVALID_INPUT',
        `Unknown vocab action "${action ?? ''}"\n\n${VOCAB_USAGE}`,
      );
  }
}

/** "1 photo re-tagged", "3 photos re-tagged" (a change's count of photos whose tags moved). */
export function photosRetagged(count: number): string {
  return `${count} photo${count === 1 ? '' : 's'} re-tagged`;
}

function describe(label: LabelSummary): string {
  const aliases = label.aliases.length ? ` = ${label.aliases.join(', ')}` : '';
  const threshold = label.threshold ? ` τ=${label.threshold.value.toFixed(3)}` : '';
  // `tags N photos`: the same count as `vocab list`, a search for the label and its preview.
  const tagged = label.hidden ? '' : `, tags ${label.tagged} photo${label.tagged === 1 ? '' : 's'}`;
  return `"${label.name}"${aliases}${threshold}${label.hidden ? ' (hidden)' : ''}${tagged}`;
}

function formatLabels(result: ApiResults['listLabels']): string {
  const lines = result.labels.map((l) => {
    const threshold = l.threshold
      ? `${l.threshold.value.toFixed(3)}${l.threshold.manual !== undefined ? ' (manual)' : ''}${l.threshold.votes.up + l.threshold.votes.down ? ` (${l.threshold.votes.up}↑ ${l.threshold.votes.down}↓)` : ''}`
      : '—';
    const aliases = l.aliases.length ? `  = ${l.aliases.join(', ')}` : '';
    const flags = `${l.kind === 'user' ? ' user' : ''}${l.hidden ? ' hidden' : ''}${l.aliasOf ? ` →${l.aliasOf}` : ''}`;
    return `${String(l.tagged).padStart(6)}  ${threshold.padEnd(12)}  ${l.name}${aliases}${flags}`;
  });
  const more =
    result.total > result.labels.length
      ? [`… ${result.total - result.labels.length} more (--limit)`]
      : [];
  const header = result.calibration
    ? `prior τ₀ = ${result.calibration.prior.toFixed(3)}, calibrated on ${result.calibration.photos} photos`
    : 'not calibrated yet: index some photos';
  return [header, ' photos  threshold     label', ...lines, ...more].join('\n');
}

function formatPreview(result: ApiResults['previewLabel']): string {
  const head = `"${result.text}": ${result.matches} photos at τ = ${result.threshold.toFixed(3)}${result.calibrated === null ? '' : ` (calibrated ${result.calibrated.toFixed(3)})`}`;
  return [head, ...result.photos.map((p) => `  ${p.score.toFixed(3)}  ${p.path}`)].join('\n');
}
