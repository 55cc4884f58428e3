// What "safe to show" means for text that came from an endpoint, a context file or a map, checked the way each
// surface renders it. Shared by the unit tests and the fault suite.

/**
 * Characters that reorder or hide text (Trojan Source: bidi embeddings, overrides, isolates and marks) and control
 * characters other than tab and line breaks.
 */
// eslint-disable-next-line no-control-regex
export const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** The unsafe characters in `text`, as code points (`U+202E`), for a readable failure. */
export function unsafeCharactersIn(text: string): string[] {
  const found = new Set<string>();
  for (const ch of text) if (UNSAFE_CHARACTERS.test(ch)) found.add(`U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  return [...found];
}

/**
 * The theme icons a label would show: VS Code's `renderLabelWithIcons` (src/vs/base/browser/ui/iconLabel/iconLabels.ts)
 * turns every `$(name)` or `$(name~modifier)` not preceded by a backslash into an icon. CodeLens titles and status bar
 * text are rendered that way.
 */
export function iconsInLabel(label: string): string[] {
  const icons: string[] = [];
  for (const match of label.matchAll(/(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g)) if (!match[1]) icons.push(match[2]!);
  return icons;
}
