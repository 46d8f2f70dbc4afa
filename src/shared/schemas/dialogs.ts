// Native dialogs the Electron shell offers the UI (the browser host has none: it lists files through the API).
import { z } from 'zod';

export const PickFileOptions = z.object({
  title: z.string().max(200).optional(),
  /** File type filters, e.g. [{ name: 'HDF5', extensions: ['h5', 'hdf5'] }]. */
  filters: z.array(z.object({ name: z.string().min(1).max(100), extensions: z.array(z.string().regex(/^(\*|[A-Za-z0-9_.-]{1,16})$/)).min(1) })).max(20).optional(),
});
export type PickFileOptions = z.infer<typeof PickFileOptions>;
