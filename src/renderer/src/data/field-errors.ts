// A schema's complaints about a form, keyed by the field they belong to (the issue path joined by dots),
// so each message can be shown next to its input. The first message per field wins.
import type { z } from 'zod';

export function fieldErrors(error: z.ZodError | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error?.issues ?? []) out[issue.path.join('.') || 'form'] ??= issue.message;
  return out;
}
