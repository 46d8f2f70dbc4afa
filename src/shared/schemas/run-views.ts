// What the run pages draw from a scored training run: AUC, ROC (1/ε_B versus ε_S), SIC and the
// per-class score histograms, the same numbers the studies plot (src/shared/metrics/plot-data.ts).
import { z } from 'zod';

export const RunCurves = z.object({
  runId: z.string(),
  auc: z.number(),
  /** At most 200 exact ROC points, those with ε_B = 0 left out. */
  roc: z.object({ tpr: z.array(z.number()), rejection: z.array(z.number()) }),
  sic: z.object({ tpr: z.array(z.number()), sic: z.array(z.number()) }),
  /** Unit-area densities of background and signal on common edges (50 bins). */
  scores: z.object({ edges: z.array(z.number()), background: z.array(z.number()), signal: z.array(z.number()) }),
});
export type RunCurves = z.infer<typeof RunCurves>;
