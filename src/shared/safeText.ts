/**
 * Text from outside (an endpoint, a context file, a map in somebody's repository) made fit to show: no characters that
 * reorder or hide what is displayed, no control characters, a bounded length, and no `$(icon)` syntax where VS Code
 * draws labels with icons. Escaping for a particular format (markdown, HTML) is the renderer's job on top of this.
 * No `vscode` import here: the server, the extension, the CLI and the webview use it alike.
 */

/**
 * Bidirectional formatting characters (embeddings, overrides, isolates and the invisible marks): they make text
 * display in another order than it is read, as in "Trojan Source" (CVE-2021-42574) or `safe\u202egnp.exe`.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** C0 and C1 control characters and DEL, except tab and line breaks (which are whitespace). */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
/** Line and paragraph separators: line breaks to some renderers, invisible to others. */
const LINE_SEPARATORS = /[\u2028\u2029]/g;

/** What replaces a neutralised character: visible, so a reader can tell that something was there. */
export const REPLACEMENT_CHARACTER = '\ufffd';

/** Replaces bidi formatting and control characters with U+FFFD and line/paragraph separators with a line break. */
export function neutralizeText(value: string): string {
  return value.replace(BIDI_CONTROLS, REPLACEMENT_CHARACTER).replace(CONTROL_CHARACTERS, REPLACEMENT_CHARACTER).replace(LINE_SEPARATORS, '\n');
}

/**
 * Cuts `value` to at most `max` characters, ending with "…" when it was longer. Never splits a surrogate pair, so the
 * result is well-formed text.
 */
export function clampText(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = Math.max(0, max - 1);
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}…`;
}

/** {@link neutralizeText}, then {@link clampText}: the one call for a remote string headed for display. */
export function displayText(value: string, max: number): string {
  return clampText(neutralizeText(value), max);
}

/**
 * Escapes `$(name)` and `$(name~modifier)` so that labels VS Code renders with icons (CodeLens titles, status bar
 * text) show them as text: the same escape as VS Code's own `escapeIcons` (a backslash before the `$`).
 */
export function escapeIcons(value: string): string {
  return value.replace(/(\\)?\$\(([A-Za-z0-9~-]+)\)/g, (match, escaped: string | undefined) => (escaped ? match : `\\${match}`));
}

/**
 * A copy of a JSON-like value (a view model) with {@link neutralizeText} applied to every string in it: the last
 * guard before text reaches a webview, whatever path it took (a comment in the map, a file name, a message).
 */
export function neutralizeStrings<T>(value: T): T {
  if (typeof value === 'string') return neutralizeText(value) as T;
  if (Array.isArray(value)) return value.map((item) => neutralizeStrings(item)) as T;
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = neutralizeStrings(item);
    return copy as T;
  }
  return value;
}
