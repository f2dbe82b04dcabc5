import { renderVersionText } from '@roster/core';
import { Command, Option } from 'commander';
import { out } from '../output.js';
import { versionInfo } from '../version.js';

export function versionCommand(setExit: (code: number) => void): Command {
  return new Command('version')
    .description("print roster's version, Node's and each built-in provider's (also: roster --version)")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ roster version\n  $ roster version --format json   # schemas/version.schema.json',
    )
    .action((opts: { format: 'text' | 'json' }) => {
      const info = versionInfo();
      out(opts.format === 'json' ? JSON.stringify(info, null, 2) : renderVersionText(info));
      setExit(0);
    });
}
