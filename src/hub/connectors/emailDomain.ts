// The company domain an e-mail address stands for, when it stands for one. Accounts are joined by domain, so a
// mailbox provider's domain must never become an account's: every customer who signs up with a gmail.com address
// would be one account.
import { normaliseDomain } from './csvExport';

/** Mailbox providers whose domains say nothing about the customer's company. */
const MAILBOX_PROVIDERS = new Set([
  '163.com', '126.com', 'aol.com', 'fastmail.com', 'gmail.com', 'gmx.com', 'gmx.de', 'gmx.net', 'googlemail.com',
  'hey.com', 'hotmail.com', 'hotmail.co.uk', 'hotmail.fr', 'icloud.com', 'live.com', 'mac.com', 'mail.com', 'mail.ru',
  'me.com', 'msn.com', 'naver.com', 'outlook.com', 'pm.me', 'proton.me', 'protonmail.com', 'qq.com', 't-online.de',
  'web.de', 'yahoo.com', 'yahoo.co.uk', 'yahoo.fr', 'yandex.com', 'yandex.ru', 'zoho.com',
]);

/** `Ana@Acme.example` → `acme.example`; undefined for a mailbox provider's domain or something that is not an address. */
export function companyDomainOf(email: string | null | undefined): string | undefined {
  if (!email) return undefined;
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return undefined;
  const domain = normaliseDomain(email.slice(at + 1));
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) || MAILBOX_PROVIDERS.has(domain)) return undefined;
  return domain;
}
