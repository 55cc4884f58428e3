// Personal data masking at ingest: what is masked, what is left alone, and that it stays linear on hostile input.
import * as assert from 'node:assert/strict';
import { maskDeep, maskText } from '../../src/hub/masking';

describe('hub masking', () => {
  it('masks e-mail addresses, phone numbers and card numbers (Luhn-valid) in free text', () => {
    assert.equal(maskText('write to dana.ruiz+shop@mail.northwind.example today'), 'write to [email] today');
    assert.equal(maskText('call +1 (415) 555-0134 or 030 1234 5678'), 'call [phone] or [phone]');
    assert.equal(maskText('+44 20 7946 0958'), '[phone]');
    assert.equal(maskText('card 4111 1111 1111 1111, also 5500-0000-0000-0004'), 'card [card], also [card]');
  });

  it('leaves dates, ticket numbers, amounts and non-Luhn digit runs alone', () => {
    for (const text of ['on 2026-11-02 at 09:30', 'ticket #48213', 'order 12345678', 'costs 1,299.00 USD', 'ref 4111 1111 1111 1112', 'v1.2.3']) {
      assert.equal(maskText(text), text);
    }
  });

  it('can be switched off kind by kind', () => {
    const text = 'dana@northwind.example +1 415 555 0134 4111111111111111';
    assert.equal(maskText(text, { emails: false, phones: true, cards: true }), 'dana@northwind.example [phone] [card]');
    assert.equal(maskText(text, { emails: false, phones: false, cards: false }), text);
  });

  it('masks every string of a record except structural fields, and drops NUL characters', () => {
    const record = { kind: 'ticket', id: 'a@b.example', title: 'from a@b.example', url: 'https://x.example/a@b.example', tags: ['dana@x.example'], text: 'nul\u0000here' };
    assert.deepEqual(maskDeep(record), { kind: 'ticket', id: 'a@b.example', title: 'from [email]', url: 'https://x.example/a@b.example', tags: ['[email]'], text: 'nulhere' });
  });

  it('stays linear on long hostile strings', () => {
    const inputs = ['x'.repeat(1_000_000), `${'a'.repeat(500_000)}@`, '1 '.repeat(300_000), `${'a.'.repeat(200_000)}@b`];
    const started = Date.now();
    for (const input of inputs) maskText(input);
    const ms = Date.now() - started;
    assert.ok(ms < 6000, `masking 3 MB of hostile text took ${ms} ms`);
  });
});
