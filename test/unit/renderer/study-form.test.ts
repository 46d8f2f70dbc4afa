import { describe, expect, it } from 'vitest';
import { defaultStudy, STUDY_KINDS, type StudyKind } from '../../../src/shared/study/study-file';
import { addItem, fieldForIssue, fieldsOf, removeItem, setField, toForm, toStudyFile, validateForm } from '../../../src/renderer/src/studies/study-form';

const form = (kind: StudyKind, quick = true) => toForm(defaultStudy(kind, quick));

describe('study wizard form model', () => {
  it.each(STUDY_KINDS.flatMap((k) => [[k, true] as const, [k, false] as const]))('round-trips the %s defaults (quick %s) to the same study file', (kind, quick) => {
    const f = form(kind, quick);
    expect(toStudyFile(f)).toEqual({ file: defaultStudy(kind, quick), errors: {} });
    const v = validateForm(f);
    expect(v.errors).toEqual({});
    expect(v.general).toEqual([]);
    expect(v.file).toEqual(defaultStudy(kind, quick));
  });

  it('shows each generator size, the epochs and the seeds as editable fields', () => {
    const f = form('inverted-task');
    expect(f.values['a.data.generate.n']).toBe('1500');
    expect(f.values['b.data.generate.process']).toBe('top');
    expect(f.values['model.epochs']).toBe('2');
    expect(f.values.seeds).toBe('1');
    expect(f.values['model.learningRate']).toBe('');
    const steps = new Set(fieldsOf(f.base, 'inverted-task').map((x) => x.step));
    expect([...steps]).toEqual(['data', 'model', 'seeds']);
  });

  it('writes edited fields into the file', () => {
    let f = form('inverted-task');
    f = setField(f, 'a.data.generate.n', '300');
    f = setField(f, 'model.epochs', '1');
    f = setField(f, 'model.learningRate', '0.0005');
    f = setField(f, 'seeds', '1, 2,3');
    const v = validateForm(f);
    expect(v.errors).toEqual({});
    const file = v.file as Record<string, any>;
    expect(file.a.data.generate.n).toBe(300);
    expect(file.model.epochs).toBe(1);
    expect(file.model.learningRate).toBe(0.0005);
    expect(file.seeds).toEqual([1, 2, 3]);
  });

  it('puts each schema message on the field that holds the value', () => {
    let f = form('inverted-task');
    f = setField(f, 'a.data.generate.n', '0');
    f = setField(f, 'model.epochs', '2.5');
    f = setField(f, 'b.name', '');
    f = setField(f, 'seeds', '');
    const v = validateForm(f);
    expect(v.file).toBeNull();
    expect(Object.keys(v.errors).sort()).toEqual(['a.data.generate.n', 'b.name', 'model.epochs', 'seeds']);
    expect(v.errors['a.data.generate.n']).toBe('must be at least 1');
    expect(v.errors['model.epochs']).toBe('must be a whole number');
    expect(v.errors.seeds).toBe('needs at least 1 entry');
    expect(v.general).toEqual([]);
  });

  it('reports unreadable text at its field and keeps the text through a reshape', () => {
    let f = form('mass-decorrelation');
    f = setField(f, 'disco', '0, ten');
    f = setField(f, 'model.batchSize', 'lots');
    let v = validateForm(f);
    expect(v.errors.disco).toBe('“ten” is not a number');
    expect(v.errors['model.batchSize']).toBe('“lots” is not a number');
    f = setField(f, 'outliers.$source', 'none');
    expect(f.values.disco).toBe('0, ten');
    v = validateForm(f);
    expect(v.errors.disco).toBe('“ten” is not a number');
    expect(fieldsOf(f.base, f.kind).some((x) => x.path.startsWith('outliers.generate'))).toBe(false);
  });

  it('switches a slot to a stored dataset, which must be named', () => {
    let f = form('train-evaluate');
    f = setField(f, 'background.$source', 'dataset');
    expect(fieldsOf(f.base, f.kind).map((x) => x.path)).toContain('background.dataset');
    expect(validateForm(f).errors['background.dataset']).toBe('is required');
    f = setField(f, 'background.dataset', 'qcd-5k');
    const v = validateForm(f);
    expect(v.errors).toEqual({});
    expect((v.file as Record<string, unknown>).background).toEqual({ dataset: 'qcd-5k' });
  });

  it('switches a generator kind to that generator’s fields', () => {
    let f = form('bump-hunt');
    f = setField(f, 'data.generate.kind', 'phase-space');
    const paths = fieldsOf(f.base, f.kind).map((x) => x.path);
    expect(paths).toContain('data.generate.particles');
    expect(paths).not.toContain('data.generate.process');
    f = setField(f, 'data.generate.particles', '1');
    expect(validateForm(f).errors['data.generate.particles']).toBe('must be at least 2');
  });

  it('adds and removes signals, and toggles semi-supervised training', () => {
    let f = form('train-evaluate');
    f = addItem(f, 'signal');
    let file = validateForm(f).file as Record<string, any>;
    expect(file.signal).toHaveLength(2);
    expect(file.signal[1].generate.seed).toBe(file.signal[0].generate.seed + 1);
    f = setField(f, 'signal.0.generate.n', '77');
    f = removeItem(f, 'signal', 0);
    file = validateForm(f).file as Record<string, any>;
    expect(file.signal).toEqual([{ generate: { kind: 'jets', process: 'top', n: 600, seed: 3 } }]);

    let inv = form('inverted-task');
    inv = setField(inv, 'semiSupervised.$on', true);
    inv = setField(inv, 'semiSupervised.rows', '0');
    expect(validateForm(inv).errors['semiSupervised.rows']).toBe('must be at least 1');
    inv = setField(inv, 'semiSupervised.$on', false);
    expect((validateForm(inv).file as Record<string, unknown>).semiSupervised).toBeUndefined();
  });

  it('reads sets of augmentations', () => {
    let f = form('representation');
    f = setField(f, 'augmentations', 'ao+aowcpm; spm');
    expect((validateForm(f).file as Record<string, unknown>).augmentations).toEqual([['ao', 'aowcpm'], ['spm']]);
    f = setField(f, 'augmentations', 'ao+teleport');
    expect(validateForm(f).errors.augmentations).toMatch(/^must be one of ao, aowcpm, spm$/);
  });

  it('adds preprocessing variants from the model representation, each with its own fields', () => {
    let f = form('inverted-task');
    expect(fieldsOf(f.base, f.kind).some((x) => x.path.startsWith('variants'))).toBe(false);
    f = addItem(f, 'variants');
    f = setField(f, 'variants.0.name', 'log');
    f = setField(f, 'variants.0.representation.transform', 'log1p-1000');
    f = setField(f, 'variants.0.representation.pixels', '2');
    expect(validateForm(f).errors).toEqual({ 'variants.0.representation.pixels': 'must be at least 4' });
    f = setField(f, 'variants.0.representation.pixels', '40');
    f = addItem(f, 'variants');
    f = setField(f, 'variants.1.representation.kind', 'constituents');
    const file = validateForm(f).file as Record<string, any>;
    expect(file.variants).toEqual([
      { name: 'log', representation: { kind: 'jet-images', pixels: 40, range: 0.8, transform: 'log1p-1000' } },
      { name: 'log 2', representation: { kind: 'constituents', n: 20, coords: 'p4', scale: true } },
    ]);
    expect(file.model.representation.transform).toBe('sqrt');
    f = removeItem(f, 'variants', 0);
    f = removeItem(f, 'variants', 0);
    expect((validateForm(f).file as Record<string, any>).variants).toEqual([]);
  });

  it('maps issue paths to the nearest field', () => {
    const fields = ['a.data.$source', 'a.data.generate.kind', 'a.data.generate.n', 'model.epochs'];
    expect(fieldForIssue('a.data.generate.n', fields)).toBe('a.data.generate.n');
    expect(fieldForIssue('a.data', fields)).toBe('a.data.generate.kind');
    expect(fieldForIssue('model.epochs.0', fields)).toBe('model.epochs');
    expect(fieldForIssue('b', fields)).toBeNull();
  });
});
