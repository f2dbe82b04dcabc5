import { err } from './output.js';

/**
 * Stop an apply gracefully on SIGINT and SIGTERM (a CI job cancelled, a container stopped): the
 * first signal aborts `controller` with the signal's name as reason (scheduling stops, what is in
 * flight finishes, state is written; the exit code is 130 after SIGINT, 143 after SIGTERM); a
 * second exits at once. Returns the function that removes the handlers.
 */
export function handleStopSignals(controller: AbortController): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      err(
        signal === 'SIGTERM'
          ? 'SIGTERM received: finishing the operations in flight and saving state (SIGTERM again to stop at once).'
          : 'Interrupt received: finishing the operations in flight and saving state (Ctrl-C again to stop at once).',
      );
      controller.abort(signal);
    } else {
      err('Stopping at once.');
      process.exit(signal === 'SIGTERM' ? 143 : 130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
