// Extension entry point: a thin shell around the language server (see customerLensContext.ts).
import * as vscode from 'vscode';
import { CustomerLensContext, type CustomerLensApi } from './customerLensContext';

let current: CustomerLensContext | undefined;

export function activate(context: vscode.ExtensionContext): CustomerLensApi {
  const began = performance.now();
  const lens = new CustomerLensContext(context);
  current = lens;
  // VS Code does not show activation errors to the user: say it. A failure of activate itself is rethrown so the
  // extension host records it; the server starts after activate returned, so its failure is reported when it happens.
  const report = (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    lens.log.error(`activation failed error=${message}`);
    void vscode.window.showErrorMessage(`Customer Lens could not start: ${message}`, 'Show Logs').then((choice) => {
      if (choice) lens.log.show();
    });
  };
  try {
    return lens.start(began, report);
  } catch (error) {
    report(error);
    throw error;
  }
}

export function deactivate(): Promise<void> | undefined {
  const lens = current;
  current = undefined;
  return lens?.stop();
}
