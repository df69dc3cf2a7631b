import { z } from 'zod';

/** A JSON Schema as the OpenAPI document carries it. */
export type JsonSchema = Record<string, unknown>;

/**
 * Zod schemas as JSON Schemas for `components.schemas`, each referring to the others by
 * `#/components/schemas/…`.
 */
export function componentSchemasOf(schemas: Record<string, z.ZodType>): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const converted = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(
    Object.entries(converted.schemas).map(([id, schema]) => [id, withoutDialect(schema)]),
  );
}

/** One OpenAPI query parameter per key of the schema, required unless optional or defaulted. */
export function queryParameters(query: z.ZodObject): object[] {
  const { properties = {}, required = [] } = z.toJSONSchema(query, { io: 'input' }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    ...(typeof schema.description === 'string' && { description: schema.description }),
    schema,
  }));
}

// Inside an OpenAPI 3.1 document the dialect is the document's own; ids would only confuse.
export function withoutDialect(schema: object): JsonSchema {
  const rest: JsonSchema = { ...schema };
  delete rest.$schema;
  delete rest.$id;
  return rest;
}
