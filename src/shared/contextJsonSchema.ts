/**
 * JSON Schemas of customer context protocol v1, generated from the zod schemas in `contextProtocol.ts`: for teams
 * writing an endpoint, and for editors validating a context file.
 */
import { z } from 'zod';
import { contextResponseSchema, featureListResponseSchema } from './contextProtocol';

/** The schema of a `/v1/context` answer and of a context file (`context.schema.json`). */
export function contextJsonSchema(): object {
  return {
    ...z.toJSONSchema(contextResponseSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'Customer Lens context (protocol v1)',
    description:
      'A GET /v1/context answer, or a context file named by a map\'s "context:". Unknown fields are ignored; an invalid item is dropped alone.',
  };
}

/** The schema of a `/v1/features` answer (`features.schema.json`). */
export function featureListJsonSchema(): object {
  return {
    ...z.toJSONSchema(featureListResponseSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'Customer Lens feature list (protocol v1)',
    description: 'A GET /v1/features answer.',
  };
}
