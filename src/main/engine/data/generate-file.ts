// `awb generate`: runs a built-in generator and writes its file in the layout the importers read
// (Top Tagging pandas store for jets, ADC2021 for events, a plain feature table otherwise). Every file
// carries a generator stamp with its full spec, so it can be made again and its labels are named.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import type { GenerateParams, GenerateResult } from '@shared/api';
import type { z } from 'zod';
import { DIJET_COLUMNS, generateDijet } from './generators/dijet';
import { generateEvents } from './generators/events';
import { generateJets } from './generators/jets';
import { sampleManifold, type ManifoldKind } from './generators/manifold';
import { samplePhaseSpace } from './generators/phase-space';
import type { GeneratorStamp } from './source';
import { writeAdc2021Hdf5, writeFeaturesHdf5 } from './writers/hdf5-arrays';
import { writeTopTaggingHdf5 } from './writers/pandas-fixed';

export type GenerateSpec = z.infer<typeof GenerateParams>;

export interface GenerateHooks {
  /** Rows generated so far. */
  onProgress(done: number): void;
  shouldStop(): boolean;
}

/** Where the signal patch of each manifold sits by default (intrinsic coordinates) — away from singular points. */
const MANIFOLD_SIGNAL_CENTRE: Record<ManifoldKind, (k: number) => number[]> = {
  circle: () => [0],
  sphere: (k) => Array.from({ length: k }, () => Math.PI / 2),
  torus: () => [0, 0],
  'double-cone': () => [0.5, 0],
};

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function countLabels(labels: ArrayLike<number>, names: Record<string, string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < labels.length; i++) {
    const name = names[String(labels[i])] ?? `class ${labels[i]}`;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

const numbered = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

export async function generateFile(spec: GenerateSpec, hooks: GenerateHooks): Promise<GenerateResult> {
  const { out, ...rest } = spec;
  if (existsSync(out)) throw new Error(`${out}: already exists; choose another --out or remove it first`);
  const stamp = (labelNames: Record<string, string>): GeneratorStamp => ({ generator: spec.kind, spec: rest, labelNames });
  let countsByLabel: Record<string, number>;
  switch (spec.kind) {
    case 'jets': {
      const labelNames: Record<string, string> = spec.process === 'qcd' ? { '0': 'qcd' } : { '1': spec.process };
      await writeTopTaggingHdf5(
        out,
        spec.n,
        (start, count) => ({ ...generateJets({ process: spec.process, seed: spec.seed }, start, count), ttv: new Int8Array(count) }),
        stamp(labelNames),
        hooks,
      );
      countsByLabel = { [Object.values(labelNames)[0]]: spec.n };
      break;
    }
    case 'events': {
      const labelNames: Record<string, string> = spec.process === 'sm' ? { '0': 'sm' } : { '1': spec.process };
      await writeAdc2021Hdf5(out, spec.n, (start, count) => generateEvents({ process: spec.process, seed: spec.seed }, start, count).particles, stamp(labelNames), hooks);
      countsByLabel = { [Object.values(labelNames)[0]]: spec.n };
      break;
    }
    case 'manifold': {
      const probe = sampleManifold({ manifold: spec.shape, n: 0, seed: spec.seed, dim: spec.dim });
      const signal = spec.signalFraction > 0 ? { fraction: spec.signalFraction, center: MANIFOLD_SIGNAL_CENTRE[spec.shape](probe.intrinsicDim), radius: spec.signalRadius } : undefined;
      const s = sampleManifold({ manifold: spec.shape, n: spec.n, seed: spec.seed, dim: spec.dim, signal });
      const labelNames = { '0': 'background', '1': 'signal' };
      await writeFeaturesHdf5(
        out,
        { rows: spec.n, columns: numbered('x', s.dim), features: s.x, labels: s.labels, extra: { intrinsic: { data: s.intrinsic, rowShape: [s.intrinsicDim] } } },
        stamp(labelNames),
      );
      countsByLabel = countLabels(s.labels, labelNames);
      break;
    }
    case 'phase-space': {
      const signal = spec.signalFraction > 0 ? { fraction: spec.signalFraction, mass: spec.signalMass ?? spec.sqrtS / 4 } : undefined;
      const s = samplePhaseSpace({ particles: spec.particles, sqrtS: spec.sqrtS, events: spec.n, seed: spec.seed, signal });
      const labelNames = { '0': 'background', '1': 'signal' };
      const columns = Array.from({ length: spec.particles }, (_, i) => ['E', 'px', 'py', 'pz'].map((c) => `${c}_${i}`)).flat();
      await writeFeaturesHdf5(
        out,
        { rows: spec.n, columns, features: Float32Array.from(s.momenta), labels: s.labels, extra: { pair_mass: { data: Float32Array.from(s.pairMass), rowShape: [] } } },
        stamp(labelNames),
      );
      countsByLabel = countLabels(s.labels, labelNames);
      break;
    }
    case 'dijet': {
      const d = generateDijet({ seed: spec.seed, sqrtS: spec.sqrtS, signalFraction: spec.signalFraction, signalMass: spec.signalMass }, 0, spec.n);
      const labelNames = { '0': 'background', '1': 'signal' };
      await writeFeaturesHdf5(out, { rows: spec.n, columns: DIJET_COLUMNS, features: d.features, labels: d.labels }, stamp(labelNames));
      countsByLabel = countLabels(d.labels, labelNames);
      break;
    }
  }
  hooks.onProgress(spec.n);
  return { out, rows: spec.n, sha256: await sha256File(out), countsByLabel };
}
