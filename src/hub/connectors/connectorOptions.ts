// Config keys that several API connectors share, so each says the same thing the same way in `hub check`.
import { z } from 'zod';

/** `{ env: NAME }`: a credential read from the environment when the source syncs, never written in the file. */
export function envRefSchema(example: string, what: string) {
  return z
    .strictObject(
      { env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: `an environment variable name such as ${example}` }) },
      { error: 'write { env: NAME }: credentials come from the environment, never from the config file' },
    )
    .meta({ description: what });
}

/** The vendor's API root: its public API by default, another origin for tests, proxies or regional hosts. */
export function baseUrlSchema(defaultUrl: string, what: string) {
  return z.url({ protocol: /^https?$/, error: `expected an http(s) URL such as ${defaultUrl}` }).default(defaultUrl).meta({ description: what });
}

/** A currency code for amounts a vendor gives without one. */
export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: 'expected an ISO 4217 currency code such as USD or EUR' })
  .default('USD');

/** `base` without trailing slashes, so paths can be appended. */
export function trimBase(base: string): string {
  return base.replace(/\/+$/, '');
}

/** An ISO 8601 timestamp from a vendor's epoch seconds. */
export function isoFromSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** The domain of a website (`https://www.acme.com/about` → `acme.com`), or undefined. */
export function domainOfWebsite(website: string | null | undefined): string | undefined {
  if (!website?.trim()) return undefined;
  const text = website.trim();
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).hostname.toLowerCase();
    const bare = host.replace(/^www\./, '');
    return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(bare) ? bare : undefined;
  } catch {
    return undefined;
  }
}

/** Mail providers whose domain says nothing about the customer's company. */
const PERSONAL_MAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com', 'ymail.com', 'icloud.com',
  'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.de', 'web.de', 'mail.com', 'yandex.ru',
  'qq.com', '163.com', 'zoho.com', 'fastmail.com', 'hey.com',
]);

/** The company domain of an e-mail address (`ana@acme.com` → `acme.com`), or undefined for personal mail providers. */
export function companyDomainOfEmail(email: string | null | undefined): string | undefined {
  const match = /@([a-z0-9-]+(?:\.[a-z0-9-]+)+)\s*$/i.exec(email ?? '');
  const domain = match?.[1]?.toLowerCase();
  return domain && !PERSONAL_MAIL_DOMAINS.has(domain) ? domain : undefined;
}
