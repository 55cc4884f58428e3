// Imported first by the webview entry, before any schema exists. The CSP has no 'unsafe-eval': zod must not probe
// `new Function` (the probe is caught, but the browser still reports a CSP violation).
import * as z from 'zod';

z.config({ jitless: true });
