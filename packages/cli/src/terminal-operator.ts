import { createInterface } from 'node:readline';
import {
  type ManualOperator,
  type ManualStepOutcome,
  type ManualStepRequest,
  renderRunbookStep,
} from '@roster/core';

/**
 * A person at a terminal: each manual step is printed (UI path, every value, where to keep a
 * secret shown once) and roster waits for them to say it is done, then reads the system back.
 * Secrets are never typed here: the person stores them where the manifest's credentials point.
 */
export class TerminalOperator implements ManualOperator {
  readonly canRetry = true;
  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
    /** Steps already confirmed with `--confirm`: not asked again. */
    private readonly confirmed: ReadonlySet<string> = new Set(),
  ) {}

  #queue: Promise<unknown> = Promise.resolve();
  #lines: AsyncIterator<string> | undefined;
  #rl: ReturnType<typeof createInterface> | undefined;

  /** One reader for the whole run: lines typed (or pasted) ahead are kept for the next prompt. */
  async #nextLine(prompt: string): Promise<string | undefined> {
    if (!this.#rl) {
      this.#rl = createInterface({ input: this.input, terminal: false });
      this.#lines = this.#rl[Symbol.asyncIterator]();
    }
    this.output.write(prompt);
    const next = await this.#lines!.next();
    return next.done ? undefined : next.value;
  }

  /** Stop reading the terminal (so the process can exit). */
  close(): void {
    this.#rl?.close();
  }

  /** Steps run concurrently in the executor; a person answers one prompt at a time. */
  perform(req: ManualStepRequest): Promise<ManualStepOutcome> {
    const next = this.#queue.then(() => this.#ask(req));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #ask(req: ManualStepRequest): Promise<ManualStepOutcome> {
    if (!req.problems && this.confirmed.has(req.change.address)) return { status: 'done' };
    const w = (s: string) => this.output.write(`${s}\n`);
    w('');
    if (req.problems) {
      w(`Reading ${req.change.address} back from the system, roster found:`);
      for (const p of req.problems) w(`  - ${p}`);
      w('Correct it in the system, then confirm again.');
    }
    w(renderRunbookStep(req.step, req.number, req.secretTargets));
    for (;;) {
      const line = await this.#nextLine(
        "Type 'done' when the step is done, or 'skip' to leave it for later: ",
      );
      const a = line?.trim().toLowerCase();
      if (a === 'done') return { status: 'done' };
      // End of input (Ctrl-D) leaves the step for later rather than waiting forever.
      if (a === undefined || a === 'skip' || a === '')
        return { status: 'pending', reason: 'left for later by the operator' };
    }
  }
}
