/**
 * `1 change`, `2 changes`, `0 changes`: a count with its noun in the right number. Output never says
 * "change(s)": readers of a pull-request comment or a terminal deserve the real word.
 */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : pluralForm}`;
}
