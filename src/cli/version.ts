// The version `customer-lens --version` prints: package.json's, written into the bundle by esbuild.js.
import * as fs from 'node:fs';
import * as path from 'node:path';

declare const CUSTOMER_LENS_VERSION: string | undefined;

/** The CLI's version: set at build time; read from the repository's package.json when run from source. */
export function cliVersion(): string {
  if (typeof CUSTOMER_LENS_VERSION === 'string') return CUSTOMER_LENS_VERSION;
  const manifest = path.join(__dirname, '..', '..', 'package.json');
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}
