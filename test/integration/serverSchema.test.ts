// The map's JSON Schema for YAML map files: the YAML language server (redhat.vscode-yaml) reads `yamlValidation`
// from every installed extension's manifest and resolves a "./" url against the extension's folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionId, extensionManifest } from './support';

describe('map schema for YAML map files', () => {
  it('points the YAML language server at the map schema for .customer-lens.yml and .customer-lens.yaml', () => {
    const contributes = extensionManifest().contributes as { yamlValidation?: { fileMatch: string[]; url: string }[] };
    assert.deepEqual(contributes.yamlValidation, [{ fileMatch: ['.customer-lens.yml', '.customer-lens.yaml'], url: './dist/schemas/map.schema.json' }]);
    const extension = vscode.extensions.getExtension(extensionId);
    const schema = JSON.parse(fs.readFileSync(path.join(extension!.extensionPath, 'dist', 'schemas', 'map.schema.json'), 'utf8')) as { properties?: Record<string, unknown> };
    assert.ok(schema.properties?.features && schema.properties.version, 'the schema file the url names describes a map');
  });
});
