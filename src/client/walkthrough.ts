// What the getting-started walkthrough needs from the extension: context keys saying the user has seen a hover card
// and the sidebar. Its steps complete on `<key> && activeEditor == gettingStartedPage` (see package.json): VS Code
// checks an `onContext` completion event only when the expression turns true while the walkthrough is loaded, so a
// key already true when the walkthrough opens would never tick its step; the walkthrough becoming the active editor
// is the change that makes it turn true then.
import * as vscode from 'vscode';

/** The context keys, one per walkthrough step that has no VS Code event of its own. */
export const WalkthroughKeys = {
  hoverShown: 'customerLens.walkthrough.hoverShown',
  sidebarSeen: 'customerLens.walkthrough.sidebarSeen',
} as const;

const marked = new Set<string>();

/** Sets a walkthrough key to true, once per window. */
export function markWalkthroughStep(key: (typeof WalkthroughKeys)[keyof typeof WalkthroughKeys]): void {
  if (marked.has(key)) return;
  marked.add(key);
  void vscode.commands.executeCommand('setContext', key, true);
}
