import { describe, expect, it } from 'vitest';
import { capDiagnostics, type Diagnostic, formatDiagnostic } from './diagnostics.js';

const at = (file: string, line: number, severity: Diagnostic['severity'] = 'error'): Diagnostic => ({
  severity,
  code: 'manifest.schema',
  message: `problem on line ${line}`,
  file,
  line,
  column: 3,
});

describe('capDiagnostics', () => {
  it('keeps the first diagnostics of each file and counts the rest in one line after them', () => {
    const many = [
      ...Array.from({ length: 20_000 }, (_, i) => at('big.yaml', 20_000 - i)),
      at('big.yaml', 7, 'warning'),
      at('small.yaml', 1),
      { severity: 'error' as const, code: 'x', message: 'no file' },
    ];
    const capped = capDiagnostics(many, 100);
    expect(capped).toHaveLength(100 + 1 + 1 + 1);
    const lines = capped.map(formatDiagnostic);
    expect(lines[0]).toBe('error[x]: no file');
    expect(lines[1]).toBe('big.yaml:1:3: error[manifest.schema]: problem on line 1');
    // Line 7 holds an error and the warning; the first 100 are lines 1–99 and one of line 7's two.
    expect(lines[101]).toBe(
      'big.yaml:100:1: error[manifest.too-many-diagnostics]: … and 19,901 more errors in big.yaml (the first 100 are shown)',
    );
    expect(lines[102]).toBe('small.yaml:1:3: error[manifest.schema]: problem on line 1');
    expect(capDiagnostics(capped, 100)).toEqual(capped);
  });

  it('leaves a file under the cap alone and counts warnings as warnings', () => {
    const few = [at('a.yaml', 2), at('a.yaml', 1)];
    expect(capDiagnostics(few, 100)).toEqual([at('a.yaml', 1), at('a.yaml', 2)]);
    const warnings = capDiagnostics([at('w.yaml', 1, 'warning'), at('w.yaml', 2, 'warning')], 1);
    expect(warnings.map(formatDiagnostic)).toEqual([
      'w.yaml:1:3: warning[manifest.schema]: problem on line 1',
      'w.yaml:2:1: warning[manifest.too-many-diagnostics]: … and 1 more warning in w.yaml (the first 1 are shown)',
    ]);
  });
});
