import type { Request } from 'express';
import { HttpError } from './http-error.js';

/**
 * A request's JSON object body, read field by field. Every wrong shape is a
 * 400 that names the field, never a 500 from deeper down: a NUL character,
 * for one, is valid JSON that PostgreSQL refuses to store.
 */
export class JsonBody {
  readonly #fields: Record<string, unknown>;

  private constructor(fields: Record<string, unknown>) {
    this.#fields = fields;
  }

  static of(req: Request): JsonBody {
    const body: unknown = req.body;
    if (body === undefined) {
      throw new HttpError(
        400,
        'This route needs a JSON object body: send one with Content-Type: application/json.',
      );
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpError(400, 'The body must be a JSON object, like {"name": "value"}.');
    }
    return new JsonBody(body as Record<string, unknown>);
  }

  /** A non-empty string; `missing` is the message when it is absent or empty. */
  requiredText(name: string, missing: string): string {
    const value = this.optionalText(name);
    if (value === '') throw new HttpError(400, missing);
    return value;
  }

  /** A string, or '' when absent. */
  optionalText(name: string): string {
    const value = this.#fields[name];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') {
      throw new HttpError(400, `"${name}" must be a JSON string, not ${describe(value)}.`);
    }
    if (value.includes('\u0000')) {
      throw new HttpError(400, `"${name}" must not contain NUL (\\u0000) characters.`);
    }
    return value;
  }

  /** The raw value, for fields with their own rules (ids, amounts). */
  value(name: string): unknown {
    return this.#fields[name];
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
