import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** Checks a value against a schema and says, in one line, what is wrong with it. */
export function check<S extends TSchema>(schema: S, value: unknown): Checked<Static<S>> {
  if (Value.Check(schema, value)) return { ok: true, value };
  const first = Value.Errors(schema, value).First();
  const where = first?.path ? `${first.path}: ` : '';
  return { ok: false, error: `${where}${first?.message ?? 'invalid value'}` };
}
