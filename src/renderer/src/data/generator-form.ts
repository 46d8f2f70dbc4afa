// The generator wizard's form, read from the GenerateParams schema: which fields each generator has,
// their kinds (choice or number), and their starting values (the schema's defaults where it has them).
import { z } from 'zod';
import { GenerateParams } from '@shared/api';

export type GeneratorKind = z.infer<typeof GenerateParams>['kind'];
export const GENERATOR_KINDS: readonly GeneratorKind[] = GenerateParams.options.map((o) => o.shape.kind.value);

export const GENERATOR_TITLES: Record<GeneratorKind, string> = {
  jets: 'Jets (Top Tagging layout: QCD, top, W)',
  events: 'Events (ADC2021 layout: SM and four signals)',
  manifold: 'Manifold (points on a shape, optional signal patch)',
  'phase-space': 'Phase space (RAMBO, optional resonance)',
  dijet: 'Dijet mass spectrum (dijet function + resonance)',
};

/** Labels with units for the fields a user sees. */
const LABELS: Record<string, string> = {
  process: 'Process',
  shape: 'Shape',
  dim: 'Ambient dimension (sphere)',
  n: 'Rows',
  seed: 'Seed',
  signalFraction: 'Signal fraction',
  signalRadius: 'Signal patch radius',
  particles: 'Particles per event',
  sqrtS: '√s [GeV]',
  signalMass: 'Signal mass [GeV]',
};

/** Starting values for fields the schema requires without a default. */
const STARTING: Record<string, number> = { n: 5000, seed: 1, particles: 4, sqrtS: 1000 };

export interface GeneratorField {
  key: string;
  label: string;
  type: 'select' | 'number';
  options: readonly string[];
  integer: boolean;
  optional: boolean;
  /** The schema fills the value in when it is left out. */
  hasDefault: boolean;
}

function schemaOf(kind: GeneratorKind) {
  const s = GenerateParams.options.find((o) => o.shape.kind.value === kind);
  if (!s) throw new Error(`unknown generator ${kind}`);
  return s;
}

export function generatorFields(kind: GeneratorKind): GeneratorField[] {
  return Object.entries(schemaOf(kind).shape as Record<string, z.ZodType>)
    .filter(([key]) => key !== 'kind' && key !== 'out')
    .map(([key, schema]) => {
      let inner: z.ZodType = schema;
      while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
      const options = inner instanceof z.ZodEnum ? (inner.options as string[]) : [];
      return {
        key,
        label: LABELS[key] ?? key,
        type: options.length ? ('select' as const) : ('number' as const),
        options,
        integer: inner instanceof z.ZodNumber && inner.isInt,
        optional: schema instanceof z.ZodOptional,
        hasDefault: schema instanceof z.ZodDefault,
      };
    });
}

/** The form's first values: the schema's defaults, the first choice of each list, STARTING for the rest; optional fields empty. */
export function generatorDefaults(kind: GeneratorKind): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  for (const f of generatorFields(kind)) {
    if (f.optional) values[f.key] = '';
    else if (f.type === 'select') values[f.key] = f.options[0];
    else if (!f.hasDefault && STARTING[f.key] !== undefined) values[f.key] = STARTING[f.key];
  }
  const parsed = schemaOf(kind).safeParse(generatorRequest(kind, values, 'x'));
  const filled = parsed.success ? (parsed.data as Record<string, unknown>) : {};
  for (const f of generatorFields(kind)) if (typeof filled[f.key] === 'number' || typeof filled[f.key] === 'string') values[f.key] ??= filled[f.key] as string | number;
  return values;
}

/** The request the form describes: empty optional fields left out. */
export function generatorRequest(kind: GeneratorKind, values: Record<string, string | number>, out: string): Record<string, unknown> {
  const req: Record<string, unknown> = { kind, out };
  for (const f of generatorFields(kind)) {
    const v = values[f.key];
    if (v === '' || v === undefined) continue;
    req[f.key] = f.type === 'number' ? Number(v) : v;
  }
  return req;
}

/** A dataset name from the generator and its main options, e.g. `jets-top-n5000-s1`. */
export function generatedDatasetName(kind: GeneratorKind, values: Record<string, string | number>): string {
  const variant = values.process ?? values.shape;
  return [kind, variant, `n${values.n}`, `s${values.seed}`].filter((p) => p !== undefined && p !== '').join('-');
}
