import { Option } from 'commander';

/** What `--format` selects on stdout; `json` prints one document, described by a schema under `schemas/`. */
export type OutputFormat = 'text' | 'json';

/**
 * `--format text|json`, the same on every command that prints data (`plan`, `show` and `drift`
 * add `markdown`). Under `json`, stdout holds one JSON document or nothing; diagnostics and
 * messages stay on stderr as text.
 */
export function formatOption(): Option {
  return new Option('--format <format>', 'output format on stdout (json: see schemas/)')
    .choices(['text', 'json'])
    .default('text');
}
