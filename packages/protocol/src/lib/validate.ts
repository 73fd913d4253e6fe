import type { Static, TSchema } from '@sinclair/typebox';
import { Errors } from '@sinclair/typebox/errors';
import { Check } from '@sinclair/typebox/value';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Whether a value matches a schema. Named imports, not the `Value` namespace, so the
 * client bundle carries only the checker (the phone budget is 120 KB of JavaScript).
 */
export function isValid<S extends TSchema>(schema: S, value: unknown): value is Static<S> {
  return Check(schema, value);
}

/** Checks a value against a schema and says, in one line, what is wrong with it. */
export function check<S extends TSchema>(schema: S, value: unknown): Checked<Static<S>> {
  if (Check(schema, value)) return { ok: true, value };
  const first = Errors(schema, value).First();
  const where = first?.path ? `${first.path}: ` : '';
  return { ok: false, error: `${where}${first?.message ?? 'invalid value'}` };
}
