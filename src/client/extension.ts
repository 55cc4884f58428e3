// Extension entry point: a thin shell around the language server (see customerLensContext.ts).
import * as vscode from 'vscode';
import { CustomerLensContext, type CustomerLensApi } from './customerLensContext';

let current: CustomerLensContext | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<CustomerLensApi> {
  const lens = new CustomerLensContext(context);
  current = lens;
  try {
    return await lens.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    lens.log.error(`activation failed error=${message}`);
    // VS Code does not show activation errors to the user; say it, then rethrow so the extension host records it.
    void vscode.window.showErrorMessage(`Customer Lens could not start: ${message}`, 'Show Logs').then((choice) => {
      if (choice) lens.log.show();
    });
    throw error;
  }
}

export function deactivate(): Promise<void> | undefined {
  const lens = current;
  current = undefined;
  return lens?.stop();
}
