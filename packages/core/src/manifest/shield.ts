// `${env:X}` written unquoted inside a flow mapping (`credentials: { secret: ${env:X} }`, the form
// DESIGN.md shows) is not valid YAML: `{` and `}` are flow indicators. Before parsing, the braces of
// each reference become look-alike characters of the same length, so every offset and column stays
// right; after parsing they are turned back.
const OPEN = '\u2045';
const CLOSE = '\u2046';
const SHIELDED = /\$\u2045([^\u2046]*)\u2046/g;

/** The manifest text with the braces of each `${env:…}`/`${file:…}` replaced by look-alikes. */
export function shieldReferences(text: string): string {
  return text.replace(/\$\{((?:env|file):[^}\s,[\]{}]+)\}/g, `$${OPEN}$1${CLOSE}`);
}

/** A parsed string with its references' braces restored. */
export function unshieldString(s: string): string {
  return s.includes(OPEN) ? s.replace(SHIELDED, '$${$1}') : s;
}
