import type * as vscode from 'vscode';

export async function activate(_context: vscode.ExtensionContext): Promise<void> {}

export function deactivate(): void {}
