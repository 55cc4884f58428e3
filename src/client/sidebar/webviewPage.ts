// The page of a sidebar webview: a fixed template with a strict CSP. Pure (no `vscode` import) so its CSP is unit
// tested; nothing that came from a context source or the map is ever written into it.
import { randomBytes } from 'node:crypto';
import type { WebviewKind } from '../../shared/webviewProtocol';

const TITLES: Record<WebviewKind, string> = { context: 'Customer context for the active file', explore: 'Explore features' };

/** Shown from the moment the view opens until its script draws the first model (the server may still be starting). */
const LOADING: Record<WebviewKind, string> = { context: 'Reading customer context…', explore: 'Reading the map…' };

/** The page of a sidebar webview: the CSP allows our stylesheet, our nonce'd script and images from our folders. */
export function webviewHtml(kind: WebviewKind, cspSource: string, scriptUri: string, styleUri: string, nonce: string): string {
  const csp = [`default-src 'none'`, `style-src ${cspSource}`, `script-src 'nonce-${nonce}'`, `img-src ${cspSource} data:`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${styleUri}" rel="stylesheet">
<title>${TITLES[kind]}</title>
</head>
<body data-view="${kind}">
<main id="root" data-testid="${kind}-view" aria-label="${TITLES[kind]}" aria-busy="true"><p class="empty" data-testid="view-loading" role="status">${LOADING[kind]}</p></main>
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}

/** A fresh script nonce: 128 random bits, base64. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

