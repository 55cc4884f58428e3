import * as fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { installCommand } from './systemPackages';

/** The system's Chromium (Debian's `chromium` package). Playwright is never allowed to download a browser. */
export function chromiumPath(): string {
  const candidates = [process.env.CUSTOMER_LENS_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const found = candidates.find((candidate): candidate is string => !!candidate && fs.existsSync(candidate));
  if (!found) {
    throw new Error(`No Chromium found at /usr/bin/chromium. Install it (\`${installCommand(['chromium'])}\`; \`npm test\` does it for you) or set CUSTOMER_LENS_CHROMIUM to a Chromium or Chrome binary.`);
  }
  return found;
}

/** Launches headless Chromium with everything that would reach the network or the GPU turned off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
