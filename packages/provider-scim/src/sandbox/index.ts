import { type ProviderSandbox, serveOptions } from '@roster/sim-kit';
import { startSandbox } from './start.js';

/**
 * The SCIM sandbox (`@roster/provider-scim/sandbox`): the RFC 7643/7644 simulator, started in this
 * process for `endpoint: sandbox` or served by `roster sandbox serve`. SCIM has no manual step, so
 * no console.
 */
const sandbox: ProviderSandbox = {
  async start(req) {
    const sim = await startSandbox({ name: req.name, credentials: req.credentials, dir: req.dir });
    req.log.debug(
      `scim: ${req.name}: sandbox simulator at ${sim.url}${req.dir ? ` (${req.dir})` : ' (in memory)'}`,
    );
    return { config: { ...req.config, endpoint: sim.url }, close: () => sim.close() };
  },
  async serve(req) {
    const o = serveOptions(req);
    const sim = await startSandbox({
      name: req.name,
      credentials: req.credentials,
      dir: o.dir,
      host: o.host,
      port: o.port,
      ...(o.allowRemote !== undefined ? { allowRemote: o.allowRemote } : {}),
      faults: o.faults,
    });
    return { url: sim.url, consoleToken: sim.consoleToken, close: () => sim.close() };
  },
};

export default sandbox;
