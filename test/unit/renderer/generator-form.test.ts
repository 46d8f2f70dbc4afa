// The generator wizard's form read from the GenerateParams schema: every generator's starting values
// make a valid request, the schema's own defaults are used, and empty optional fields are left out.
import { describe, expect, it } from 'vitest';
import { GenerateParams } from '@shared/api';
import { GENERATOR_KINDS, generatedDatasetName, generatorDefaults, generatorFields, generatorRequest } from '../../../src/renderer/src/data/generator-form';

describe('generator form', () => {
  it('offers every generator of the schema, and each one starts from a valid request', () => {
    expect([...GENERATOR_KINDS].sort()).toEqual(['dijet', 'events', 'jets', 'manifold', 'phase-space']);
    for (const kind of GENERATOR_KINDS) {
      const r = GenerateParams.safeParse(generatorRequest(kind, generatorDefaults(kind), '/tmp/x.h5'));
      expect(r.success, `${kind}: ${r.success ? '' : r.error.message}`).toBe(true);
    }
  });

  it("takes the schema's defaults and choices, and leaves empty optional fields out", () => {
    expect(generatorDefaults('dijet')).toMatchObject({ sqrtS: 13_000, signalFraction: 0.01, signalMass: 3_500 });
    expect(generatorDefaults('jets')).toEqual({ process: 'qcd', n: 5000, seed: 1 });
    const manifold = generatorDefaults('manifold');
    expect(manifold).toMatchObject({ shape: 'circle', dim: '', signalFraction: 0, signalRadius: 0.3 });
    expect(generatorRequest('manifold', manifold, 'o.h5')).not.toHaveProperty('dim');
    const fields = generatorFields('manifold');
    expect(fields.find((f) => f.key === 'shape')).toMatchObject({ type: 'select', options: ['circle', 'sphere', 'torus', 'double-cone'] });
    expect(fields.find((f) => f.key === 'n')).toMatchObject({ type: 'number', integer: true, optional: false });
    expect(fields.find((f) => f.key === 'dim')).toMatchObject({ optional: true });
  });

  it('refuses an invalid field with a message at that field', () => {
    const r = GenerateParams.safeParse(generatorRequest('jets', { ...generatorDefaults('jets'), n: 0 }, 'o.h5'));
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['n']);
    expect(generatedDatasetName('jets', { process: 'top', n: 100, seed: 2 })).toBe('jets-top-n100-s2');
  });
});
