// Compute backends: names, the user's choice and what a probe reports.
import { z } from 'zod';

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export const BackendName = z.enum(BACKEND_NAMES);
export type BackendName = z.infer<typeof BackendName>;
export const BackendChoice = z.union([BackendName, z.literal('auto')]);
export type BackendChoice = z.infer<typeof BackendChoice>;

export const BackendInfo = z.object({
  name: BackendName,
  /** The TF.js backend it registers as ('tensorflow' for both tfjs-node flavours). */
  tfBackend: z.string(),
  available: z.boolean(),
  device: z.string().nullable(),
  reason: z.string().nullable(),
});
export type BackendInfo = z.infer<typeof BackendInfo>;
