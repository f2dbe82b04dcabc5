import { type ConfiguredProvider, Connections } from '@roster/core';
import { type CommonOptions, connectOptions, type RunContext } from './context.js';
import { builtinSandboxes } from './providers.js';

/**
 * Connect to `providers` as every command does (the run's state directory and logger, and
 * `--api-budget` where the command has it), run `use`, and close every connection however it ends.
 */
export async function withConnections<T>(
  ctx: RunContext,
  opts: CommonOptions,
  req: { providers: Iterable<ConfiguredProvider>; readOnly: boolean },
  use: (connections: Connections) => Promise<T>,
): Promise<T> {
  const connections = await Connections.open({
    providers: req.providers,
    stateDir: ctx.stateDir,
    readOnly: req.readOnly,
    log: ctx.log,
    sandboxes: builtinSandboxes,
    ...connectOptions(opts),
  });
  try {
    return await use(connections);
  } finally {
    await connections.close();
  }
}
