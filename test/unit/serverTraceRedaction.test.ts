// The redaction applied to every line the extension logs, including the language client's protocol trace. The trace
// lines here are made by the real JSON-RPC tracer (vscode-jsonrpc, verbose, as re-exported by vscode-languageserver-protocol), on a connection between two in-memory
// endpoints, the way the client formats them for the log ("<message>\n<data>").
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, Trace, type MessageConnection } from 'vscode-languageserver-protocol/node';
import { redactSecrets, REDACTED } from '../../src/client/redaction';

const TOKEN = 'cl-9f8e7d6c5b4a-secret';
const OTHER = 'tok_live_aaaaBBBBccccDDDD';

async function verboseTrace(exchange: (client: MessageConnection) => Promise<void>): Promise<string[]> {
  const up = new PassThrough();
  const down = new PassThrough();
  const client = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const server = createMessageConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  const lines: string[] = [];
  let notified!: () => void;
  const notification = new Promise<void>((resolve) => (notified = resolve));
  server.onRequest('initialize', () => ({ capabilities: {} }));
  server.onNotification('customerLens/didChangeToken', () => notified());
  server.listen();
  client.listen();
  await client.trace(Trace.Verbose, { log: (message: string, data?: string) => lines.push(data ? `${message}\n${data}` : message) });
  try {
    await exchange(client);
    await notification;
  } finally {
    client.dispose();
    server.dispose();
  }
  return lines;
}

describe('log redaction', () => {
  it('takes the tokens out of a verbose trace of initialize and customerLens/didChangeToken', async () => {
    const lines = await verboseTrace(async (client) => {
      await client.sendRequest('initialize', {
        processId: null,
        initializationOptions: { trusted: true, tokens: { 'https://context.example.com': TOKEN, 'http://127.0.0.1:8080': OTHER } },
      });
      await client.sendNotification('customerLens/didChangeToken', { origin: 'https://context.example.com', token: TOKEN });
    });
    const raw = lines.join('\n');
    assert.ok(raw.includes(TOKEN) && raw.includes(OTHER), 'the unredacted trace does hold the tokens');

    // Without knowing the tokens: the fields they travel in are enough.
    const blind = lines.map((line) => redactSecrets(line)).join('\n');
    assert.ok(!blind.includes(TOKEN) && !blind.includes(OTHER), blind);
    assert.match(blind, /"https:\/\/context\.example\.com": "<redacted>"/);
    assert.match(blind, /"http:\/\/127\.0\.0\.1:8080": "<redacted>"/);
    assert.match(blind, /"token": "<redacted>"/);
    assert.match(blind, /"trusted": true/, 'everything else stays readable');
    assert.match(blind, /Sending notification 'customerLens\/didChangeToken'/);
  });

  it('replaces a known token wherever it appears, also inside a JSON string', () => {
    const tricky = 'a"b\\c-token';
    assert.equal(redactSecrets(`got ${TOKEN} back`, [TOKEN]), `got ${REDACTED} back`);
    assert.equal(redactSecrets(`{"note": ${JSON.stringify(`x ${tricky} y`)}}`, [tricky]), `{"note": "x ${REDACTED} y"}`);
    assert.equal(redactSecrets(`url=https://h/?k=${OTHER}`, [OTHER, OTHER.slice(0, 8)]), `url=https://h/?k=${REDACTED}`, 'the longest secret first');
  });

  it('redacts Authorization credentials and bearer tokens in any form', () => {
    assert.equal(redactSecrets('Authorization: Bearer abc.def-123'), `Authorization: Bearer ${REDACTED}`);
    assert.equal(redactSecrets('{"authorization": "Bearer abc.def-123", "accept": "application/json"}'), `{"authorization": "Bearer ${REDACTED}", "accept": "application/json"}`);
    assert.equal(redactSecrets("headers: { authorization: 'Basic dXNlcjpwYXNz' }"), `headers: { authorization: 'Basic ${REDACTED}' }`);
    assert.equal(redactSecrets('retrying with bearer eyJhbGciOiJIUzI1NiJ9.e30.sig'), `retrying with bearer ${REDACTED}`);
    assert.equal(redactSecrets('the endpoint rejected the bearer token (401)'), 'the endpoint rejected the bearer token (401)', 'words stay');
    assert.equal(redactSecrets('token stored origin=https://context.example.com'), 'token stored origin=https://context.example.com');
  });
});
