import { contextJsonSchema, featureListJsonSchema } from './contextJsonSchema';
import { mapJsonSchema } from './mapSchema';

/**
 * The JSON Schemas Customer Lens ships, generated at build time (esbuild.js) from the zod schemas, which stay the
 * single source of truth. Keys are file names under `dist/schemas/`.
 */
export function jsonSchemas(): Record<string, object> {
  return {
    'map.schema.json': mapJsonSchema(),
    'context.schema.json': contextJsonSchema(),
    'features.schema.json': featureListJsonSchema(),
  };
}
