/** `anytag browse` arguments: what is wrong said first, then the usage. */
import { describe, expect, it } from 'vitest';
import { browseAction } from '../../../src-main/cli/browse-command.js';

describe('browse arguments', () => {
  it('takes folders and dates', () => {
    expect(browseAction(['folders'])).toBe('folders');
    expect(browseAction(['dates'])).toBe('dates');
  });

  it('says what is wrong before the usage', () => {
    const refused = (args: string[]) => {
      try {
        browseAction(args);
      } catch (error) {
        return error as { code: string; message: string };
      }
      throw new Error(`browse ${args.join(' ')} was accepted`);
    };
    expect(refused([])).toMatchObject({ code: 'INVALID_INPUT', message: /^anytag browse needs/ });
    expect(refused(['tree']).message).toMatch(/^Unknown browse action "tree"/);
    expect(refused(['folders', '/tmp/x']).message).toMatch(
      /^anytag browse folders takes no argument, not "\/tmp\/x"\n\nanytag browse <action>:/,
    );
    expect(refused(['dates', '/tmp/x']).message).toMatch(/--folder DIR/);
  });
});
