// What each representation reads from the store, what it fits on training rows, and how it turns a chunk
// of stored rows into model inputs. Pure planning and arithmetic; streaming and caching live in
// represent-dataset.ts.
import type { DatasetInfo, RepresentationSpec } from '@shared/api';
import { jetImages } from '@shared/physics/jet-image';
import type { z } from 'zod';
import { CONSTITUENT_WIDTH, constituentList } from './constituents';
import { eventObjects, eventObjectWidth, FLAT_EVENT_WIDTH, fitEventObjectScaling, flatEventFeatures, type EventObjectScaling } from './event-objects';
import { eventObservables, jetObservables } from './observables';
import { applyRobustScaler, fitRobustScaler, type RobustScaler } from './robust-scaler';

export type Representation = z.infer<typeof RepresentationSpec>;

/** Bump when a computation changes its numbers, so that caches made by older code are not reused. */
export const REPRESENTATION_VERSION = 1;

export const JET_OBSERVABLE_COLUMNS = ['mass', 'pt', 'eta', 'multiplicity', 'tau21', 'tau32'] as const;
export const EVENT_OBSERVABLE_COLUMNS = ['ht', 'met', 'mjj', 'mll', 'n_jets', 'n_leptons'] as const;

export interface RepresentationPlan {
  /** The stored array it reads. */
  input: 'p4' | 'particles' | 'features';
  rowShape: number[];
  columns: string[] | null;
  /** Fitted on (a sample of) training rows before any row is computed; null when nothing is fitted. */
  fit: ((rows: Float32Array, n: number) => unknown) | null;
  compute(rows: Float32Array, n: number, fitted: unknown): Float32Array;
}

const INPUT: Record<DatasetInfo['kind'], RepresentationPlan['input']> = { jets: 'p4', events: 'particles', table: 'features' };
const KINDS_FOR: Record<Representation['kind'], DatasetInfo['kind']> = {
  'jet-images': 'jets',
  constituents: 'jets',
  'jet-observables': 'jets',
  'event-objects': 'events',
  'event-features': 'events',
  'event-observables': 'events',
  features: 'table',
};

/** Interleaves named per-row columns into rows × columns. */
function byRow(columns: Float32Array[], n: number): Float32Array {
  const out = new Float32Array(n * columns.length);
  for (let r = 0; r < n; r++) for (let c = 0; c < columns.length; c++) out[r * columns.length + c] = columns[c][r];
  return out;
}

export function planRepresentation(spec: Representation, info: DatasetInfo): RepresentationPlan {
  const want = KINDS_FOR[spec.kind];
  if (info.kind !== want) throw new Error(`representation ${spec.kind} needs a ${want} dataset; "${info.name}" holds ${info.kind}`);
  const inputShape = info.shapes[INPUT[info.kind]];
  const nConst = inputShape[1];
  const base = { input: INPUT[info.kind] };
  switch (spec.kind) {
    case 'jet-images': {
      const range = [-spec.range, spec.range] as const;
      const opts = { nEta: spec.pixels, nPhi: spec.pixels, etaRange: range, phiRange: range, transform: spec.transform };
      return { ...base, rowShape: [spec.pixels, spec.pixels], columns: null, fit: null, compute: (p4, n) => jetImages(p4, n, nConst, opts) };
    }
    case 'constituents': {
      const width = CONSTITUENT_WIDTH[spec.coords];
      const list = (p4: Float32Array, n: number) => constituentList(p4, n, nConst, { n: spec.n, coords: spec.coords });
      return {
        ...base,
        rowShape: [spec.n, width],
        columns: spec.coords === 'p4' ? ['E', 'px', 'py', 'pz'] : ['pt', 'deta', 'dphi'],
        // Padding slots are neither fitted nor shifted: a zero constituent stays "no constituent".
        fit: spec.scale ? (p4, n) => fitRobustScaler(list(p4, n), n, spec.n * width, { paddingGroup: width }) : null,
        compute: (p4, n, fitted) => (spec.scale ? applyRobustScaler(list(p4, n), spec.n * width, fitted as RobustScaler) : list(p4, n)),
      };
    }
    case 'jet-observables':
      return {
        ...base,
        rowShape: [JET_OBSERVABLE_COLUMNS.length],
        columns: [...JET_OBSERVABLE_COLUMNS],
        fit: null,
        compute: (p4, n) => {
          const o = jetObservables(p4, n, nConst);
          return byRow([o.mass, o.pt, o.eta, o.multiplicity, o.tau21, o.tau32], n);
        },
      };
    case 'event-objects':
      return {
        ...base,
        rowShape: [inputShape[1], eventObjectWidth({ sinCos: spec.sinCos })],
        columns: null,
        fit: (p, n) => fitEventObjectScaling(p, n),
        compute: (p, n, fitted) => eventObjects(p, n, fitted as EventObjectScaling, { sinCos: spec.sinCos }),
      };
    case 'event-features':
      return { ...base, rowShape: [FLAT_EVENT_WIDTH], columns: null, fit: null, compute: (p, n) => flatEventFeatures(p, n) };
    case 'event-observables':
      return {
        ...base,
        rowShape: [EVENT_OBSERVABLE_COLUMNS.length],
        columns: [...EVENT_OBSERVABLE_COLUMNS],
        fit: null,
        compute: (p, n) => {
          const o = eventObservables(p, n);
          return byRow([o.ht, o.met, o.mjj, o.mll, o.nJets, o.nLeptons], n);
        },
      };
    case 'features': {
      const all = info.columns ?? [];
      const names = spec.columns ?? all;
      const missing = names.filter((c) => !all.includes(c));
      if (missing.length) throw new Error(`dataset "${info.name}" has no column ${missing.join(', ')} (it has ${all.join(', ')})`);
      const index = names.map((c) => all.indexOf(c));
      const stride = inputShape[1];
      const width = names.length;
      const pick = (x: Float32Array, n: number): Float32Array => {
        if (!spec.columns) return x;
        const out = new Float32Array(n * width);
        for (let r = 0; r < n; r++) for (let k = 0; k < width; k++) out[r * width + k] = x[r * stride + index[k]];
        return out;
      };
      return {
        ...base,
        rowShape: [width],
        columns: names,
        fit: spec.scale ? (x, n) => fitRobustScaler(pick(x, n), n, width) : null,
        compute: (x, n, fitted) => (spec.scale ? applyRobustScaler(pick(x, n), width, fitted as RobustScaler) : pick(x, n)),
      };
    }
  }
}
