/** Request validation with the contract's schemas: one line naming the field on failure. */
import type { z } from 'zod';
import { invoke, type InvokeMethod, type InvokeParsed } from './contract.js';
import { ApiError } from './errors.js';

/** "evs[2]" / "params.bias" style path of an issue. */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** One line for the first issue of a zod error, naming the field. */
export function describeIssue(issue: z.ZodError['issues'][number]): {
  field: string;
  message: string;
} {
  let path = [...issue.path];
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    path = [...path, ...issue.keys.slice(0, 1)];
    message = 'is not a field of this request';
  }
  const field = fieldPath(path);
  return { field, message: field ? `${field}: ${message}` : message };
}

/**
 * Validates a request for `method` and fills in defaults.
 * @throws ApiError 'invalid' with a one-line message "<method>: <field>: <problem>"
 */
export function parseRequest<M extends InvokeMethod>(method: M, input: unknown): InvokeParsed<M> {
  const schema = invoke[method].request as z.ZodType;
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data as InvokeParsed<M>;
  const { field, message } = describeIssue(r.error.issues[0]);
  throw new ApiError('invalid', `${method}: ${message}`, field || undefined);
}
