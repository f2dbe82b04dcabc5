import { describe, expect, it } from 'vitest';
import { ProgressLine, progressText } from './progress-line.js';

/** A fake TTY stream: what was written, and the screen it leaves (carriage returns and erases applied). */
function fakeTty(columns = 80) {
  const writes: string[] = [];
  return {
    stream: { columns, isTTY: true, write: (s: string) => writes.push(s) },
    writes,
    screen(): string[] {
      const lines: string[] = [''];
      for (const chunk of writes.join('').split(/(\r\x1b\[2K|\n)/)) {
        if (chunk === '\r\x1b[2K') lines[lines.length - 1] = '';
        else if (chunk === '\n') lines.push('');
        else lines[lines.length - 1] += chunk;
      }
      return lines;
    },
  };
}

describe('ProgressLine', () => {
  it('rewrites one line in place as the step advances', () => {
    const tty = fakeTty();
    const line = new ProgressLine(tty.stream);
    line.show({ phase: 'refresh', done: 1, total: 3, current: 'p/User' });
    line.show({ phase: 'refresh', done: 2, total: 3, current: 'p/Role' });
    expect(tty.screen()).toEqual(['refreshing [2/3] p/Role']);
    expect(tty.writes.join('')).not.toContain('\n');
  });

  it('writes other lines above it and draws it again below', () => {
    const tty = fakeTty();
    const line = new ProgressLine(tty.stream);
    line.show({ phase: 'apply', done: 0, total: 2, current: 'p/User/a' });
    line.log('p/User/a: create…');
    line.show({ phase: 'apply', done: 1, total: 2, current: 'p/User/b' });
    line.log('p/User/a: create done (3 ms)');
    expect(tty.screen()).toEqual([
      'p/User/a: create…',
      'p/User/a: create done (3 ms)',
      'applying [1/2] p/User/b',
    ]);
    line.clear();
    expect(tty.screen()).toEqual(['p/User/a: create…', 'p/User/a: create done (3 ms)', '']);
  });

  it('cuts the line to the width of the terminal, 80 columns when it reports none', () => {
    const progress = { phase: 'apply', done: 1, total: 2, current: 'provider/Kind/long-name' } as const;
    const tty = fakeTty(24);
    new ProgressLine(tty.stream).show(progress);
    const [shown] = tty.screen();
    expect(shown).toBe('applying [1/2] provide…');
    expect(shown!.length).toBe(23);
    const unknownWidth = fakeTty(0);
    new ProgressLine(unknownWidth.stream).show(progress);
    expect(unknownWidth.screen()).toEqual(['applying [1/2] provider/Kind/long-name']);
  });

  it('writes plain lines and clears nothing while no progress is shown', () => {
    const tty = fakeTty();
    const line = new ProgressLine(tty.stream);
    line.log('hello');
    line.clear();
    expect(tty.writes).toEqual(['hello\n']);
  });

  it('says the phase, N/M and what is current', () => {
    expect(progressText({ phase: 'apply', done: 3, total: 10, current: 'p/K/x' })).toBe(
      'applying [3/10] p/K/x',
    );
    expect(progressText({ phase: 'refresh', done: 0, total: 1 })).toBe('refreshing [0/1]');
  });
});
