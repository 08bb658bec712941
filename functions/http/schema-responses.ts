import type { AttachedSchema } from '#app/schemas.ts';
import { RawJson } from '#domain/json.ts';

/** A schema as the schema routes answer it: its JSON spliced in as it was attached. */
export function schemaBody(schema: AttachedSchema) {
  return {
    target: schema.target,
    schema: new RawJson(schema.schema),
    version: schema.version,
    revision: schema.revision,
    updatedAt: schema.updatedAt,
    updatedBy: schema.updatedBy,
  };
}
