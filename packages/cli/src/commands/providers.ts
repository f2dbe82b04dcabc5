import { describeProviders, renderProvidersText } from '@roster/core';
import { Command, Option } from 'commander';
import { out } from '../output.js';
import { builtinProviders } from '../providers.js';

export function providersCommand(setExit: (code: number) => void): Command {
  return new Command('providers')
    .description('list provider types: kinds, how each operation is done (api/manual), verified attributes')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExamples:\n  $ roster providers\n  $ roster providers --format json')
    .action((opts: { format: 'text' | 'json' }) => {
      const info = describeProviders(builtinProviders);
      out(opts.format === 'json' ? JSON.stringify(info, null, 2) : renderProvidersText(info));
      setExit(0);
    });
}
