import * as assert from 'node:assert/strict';
import { jsonSchemas } from '../../src/shared/jsonSchemas';
import { isValidFeatureId, parseContextResponse, parseErrorMessage, parseFeatureListResponse } from '../../src/shared/contextProtocol';

describe('context protocol v1 parsing', () => {
  it('drops an invalid item alone, naming the feature, the item and the field, and keeps the rest', () => {
    const result = parseContextResponse(
      {
        version: 1,
        features: [
          {
            id: 'checkout',
            name: 'Checkout',
            problems: [
              { id: 'p-1', title: 'Coupons rejected', severity: 'high' },
              { id: 'p-7', title: 'Slow', severity: 'catastrophic' },
              { id: 'p-8', title: 'Declines', customers: 4 },
            ],
            quotes: [{ id: 'q-1' }, { id: 'q-2', text: 'Great' }],
          },
        ],
      },
      'https://ctx.example.com/v1/context?features=checkout',
    );
    assert.ok(result.ok);
    const checkout = result.value.features[0]!;
    assert.deepEqual(checkout.problems!.map((p) => p.id), ['p-1', 'p-8']);
    assert.deepEqual(checkout.quotes!.map((q) => q.id), ['q-2']);
    assert.equal(result.warnings.length, 2);
    assert.match(result.warnings[0]!, /^https:\/\/ctx\.example\.com\/v1\/context\?features=checkout at features\[0\]\.problems\[1\]\.severity/);
    assert.match(result.warnings[0]!, /feature "checkout" problems\[1\] \(id "p-7"\) field "severity"/);
    assert.match(result.warnings[0]!, /item dropped/);
    assert.match(result.warnings[1]!, /feature "checkout" quotes\[0\] \(id "q-1"\) field "text"/);
  });

  it('ignores unknown fields at every level (forward compatible)', () => {
    const result = parseContextResponse(
      { version: 1, generator: 'x', features: [{ id: 'search', futureField: 1, usage: [{ id: 'u', label: 'Queries', value: 3, sparkle: true }] }] },
      'test',
    );
    assert.ok(result.ok);
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(result.value.features[0], { id: 'search', usage: [{ id: 'u', label: 'Queries', value: 3 }] });
  });

  it('refuses links that are not http or https, so they never become clickable', () => {
    const result = parseContextResponse(
      {
        version: 1,
        features: [{ id: 'a', links: [{ title: 'evil', url: 'javascript:alert(1)' }, { title: 'cmd', url: 'command:workbench.action.quit' }, { title: 'ok', url: 'https://x.example.com' }] }],
      },
      'test',
    );
    assert.ok(result.ok);
    assert.deepEqual(result.value.features[0]!.links, [{ title: 'ok', url: 'https://x.example.com' }]);
    assert.equal(result.warnings.length, 2);
    assert.match(result.warnings[0]!, /links\[0\] field "url": expected an http or https URL/);
  });

  it('drops a feature without a usable id, keeps the first of a repeated id, and ignores a bad optional field', () => {
    const result = parseContextResponse(
      {
        version: 1,
        features: [{ name: 'no id' }, { id: 'has space' }, 'text', { id: 'a', updatedAt: 'yesterday', name: 'A' }, { id: 'a', name: 'again' }],
      },
      'file.json',
    );
    assert.ok(result.ok);
    assert.deepEqual(result.value.features, [{ id: 'a', name: 'A' }]);
    assert.equal(result.warnings.length, 5);
    assert.match(result.warnings[0]!, /features\[0\] has no "id"; feature dropped/);
    assert.match(result.warnings[1]!, /invalid "id" "has space"/);
    assert.match(result.warnings[2]!, /not an object/);
    assert.match(result.warnings[3]!, /feature "a" field "updatedAt": expected an ISO 8601 date/);
    assert.match(result.warnings[4]!, /feature "a" appears twice/);
  });

  it('rejects a body that is not protocol v1 at all, saying what was expected', () => {
    const wrongVersion = parseContextResponse({ version: 2, features: [] }, 'https://x/v1/context');
    assert.equal(wrongVersion.ok, false);
    assert.match(!wrongVersion.ok ? wrongVersion.error : '', /expected "version": 1 .* got version 2/);
    const notObject = parseContextResponse([1, 2], 'https://x/v1/context');
    assert.match(!notObject.ok ? notObject.error : '', /expected an object like \{"version": 1/);
    const noFeatures = parseContextResponse({ version: 1 }, 'where');
    assert.match(!noFeatures.ok ? noFeatures.error : '', /"features" to be an array/);
  });

  it('uses a locator function for precise places', () => {
    const result = parseContextResponse({ version: 1, features: [{ id: 'a', usage: [{ id: 'u', label: 'L', value: 'many' }] }] }, (p) => `ctx.yml(${p.join('/')})`);
    assert.ok(result.ok);
    assert.match(result.warnings[0]!, /^ctx\.yml\(features\/0\/usage\/0\/value\): feature "a" usage\[0\] \(id "u"\) field "value"/);
  });

  it('parses feature lists and error bodies', () => {
    const list = parseFeatureListResponse({ version: 1, features: [{ id: 'a', name: 'A' }, { id: '' }, { id: 'a' }] }, 'x');
    assert.ok(list.ok);
    assert.deepEqual(list.value.features, [{ id: 'a', name: 'A' }]);
    assert.equal(list.warnings.length, 1);
    assert.equal(parseErrorMessage({ error: { message: 'nope' } }), 'nope');
    assert.equal(parseErrorMessage({ message: 'nope' }), undefined);
  });

  it('accepts only ids that can travel in ?features=', () => {
    assert.equal(isValidFeatureId('checkout'), true);
    assert.equal(isValidFeatureId('billing/invoices'), true);
    assert.equal(isValidFeatureId('a,b'), false);
    assert.equal(isValidFeatureId('a b'), false);
    assert.equal(isValidFeatureId('x'.repeat(129)), false);
  });

  it('ships JSON Schemas for the context file and the feature list', () => {
    const schemas = jsonSchemas() as Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
    const context = schemas['context.schema.json'];
    assert.ok(context?.properties?.features);
    assert.deepEqual(context.required, ['version', 'features']);
    assert.ok(schemas['features.schema.json']?.properties?.features);
  });
});
