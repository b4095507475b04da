import { SchemaError, type InputSchema } from '../contract/index.ts';
import { MODEL_CATEGORIES, MODEL_FIELDS } from './applicant-model.ts';

const KNOWN_FIELDS = new Set(MODEL_FIELDS);

/**
 * Checks that the simulator can fill every field of a schema with values the schema accepts: each field is one the
 * applicant model knows, of the same kind, and each category the model draws is in the schema's list.
 * Throws SchemaError naming the first mismatch.
 */
export function assertSchemaSupported(schema: InputSchema): void {
  for (const field of schema.fields) {
    if (!KNOWN_FIELDS.has(field.name)) {
      throw new SchemaError(`the simulator cannot generate the schema field ${field.name}`);
    }
    const modelCategories = MODEL_CATEGORIES[field.name];
    if ((field.kind === 'category') !== (modelCategories !== undefined)) {
      throw new SchemaError(`the schema field ${field.name} is a ${field.kind}, the simulator generates another kind`);
    }
    const missing = modelCategories?.filter((category) => !field.categories!.includes(category)) ?? [];
    if (missing.length > 0) {
      throw new SchemaError(
        `the schema field ${field.name} lacks the categories ${missing.map((c) => JSON.stringify(c)).join(', ')}`,
      );
    }
  }
}
