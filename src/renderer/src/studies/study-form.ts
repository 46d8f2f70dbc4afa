// The study wizards' form model: a study file shown as a list of fields (one per editable value, found
// by its path in the file), the raw text the user typed per field, and the conversion back to a study
// file. Everything the fields do not show stays as the file had it (the form's `base`). Validation runs
// the study-file schema and maps each issue's path to the field that shows it.
import { z } from 'zod';
import { EVENT_PROCESSES, JET_PROCESSES, MANIFOLD_SHAPES, RepresentationSpec } from '@shared/schemas/datasets';
import { ACTIVATIONS, ANOMALOUS_AUGMENTATIONS, CLR_LOSSES, MODEL_KINDS, OE_VARIANTS } from '@shared/schemas/training';
import { INTENSITY_TRANSFORMS } from '@shared/physics/jet-image';
import { StudyFile, type StudyKind } from '@shared/study/study-file';

export type WizardStep = 'data' | 'model' | 'seeds';
export const WIZARD_STEPS: { step: WizardStep | 'summary'; label: string }[] = [
  { step: 'data', label: 'Data' },
  { step: 'model', label: 'Model & training' },
  { step: 'seeds', label: 'Seeds & name' },
  { step: 'summary', label: 'Summary' },
];

/**
 * How a field's text becomes a value: a number, text, one of `options`, comma-separated numbers or
 * words, sets of words ("ao+aowcpm; spm"), a checkbox, or a stored dataset's name.
 */
export type FieldType = 'number' | 'text' | 'select' | 'numbers' | 'strings' | 'string-sets' | 'bool' | 'dataset';

export interface FieldSpec {
  /** Dotted path in the study file; a segment starting with '$' is a form control that reshapes the file instead. */
  path: string;
  label: string;
  type: FieldType;
  step: WizardStep;
  options?: readonly string[];
  /** Empty text leaves the key out of the file (the schema's or the model's default applies). */
  optional?: boolean;
  /** The dataset slot (or other group) the field belongs to, for laying out the data step. */
  group?: string;
  hint?: string;
}

export type FieldValue = string | boolean;

export interface StudyForm {
  kind: StudyKind;
  /** The file the form started from, with every reshaping applied; fields override its values. */
  base: Record<string, unknown>;
  values: Record<string, FieldValue>;
}

export interface FormValidation {
  /** The study file when it is valid, as the user wrote it (defaults not filled in). */
  file: StudyFile | null;
  /** Field path → message. */
  errors: Record<string, string>;
  /** Messages no field shows. */
  general: string[];
}

export const GENERATOR_KINDS = ['jets', 'events', 'manifold', 'phase-space', 'dijet'] as const;
export type GeneratorKind = (typeof GENERATOR_KINDS)[number];
const REPRESENTATION_KINDS = RepresentationSpec.options.map((o) => o.shape.kind.value);

// ---- paths -------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

export function getPath(root: unknown, path: string): unknown {
  let at: unknown = root;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Obj)[key];
  }
  return at;
}

function setPath(root: Obj, path: string, value: unknown): void {
  const keys = path.split('.');
  let at: Obj = root;
  for (const key of keys.slice(0, -1)) {
    if (!isObj(at[key]) && !Array.isArray(at[key])) at[key] = {};
    at = at[key] as Obj;
  }
  at[keys[keys.length - 1]] = value;
}

function deletePath(root: Obj, path: string): void {
  const keys = path.split('.');
  const parent = getPath(root, keys.slice(0, -1).join('.') || '');
  const owner = keys.length === 1 ? root : parent;
  if (isObj(owner)) delete owner[keys[keys.length - 1]];
}

// ---- fields of a file --------------------------------------------------------------------------------

const SOURCE = '$source';
const num = (path: string, label: string, step: WizardStep, extra: Partial<FieldSpec> = {}): FieldSpec => ({ path, label, type: 'number', step, ...extra });

/** The generator's own fields (`awb generate` options). */
function generatorFields(slot: string, kind: GeneratorKind): FieldSpec[] {
  const p = `${slot}.generate`;
  const f = (name: string, label: string, extra: Partial<FieldSpec> = {}): FieldSpec => num(`${p}.${name}`, label, 'data', { group: slot, ...extra });
  const out: FieldSpec[] = [{ path: `${p}.kind`, label: 'Generator', type: 'select', options: GENERATOR_KINDS, step: 'data', group: slot }];
  if (kind === 'jets') out.push({ path: `${p}.process`, label: 'Process', type: 'select', options: JET_PROCESSES, step: 'data', group: slot });
  if (kind === 'events') out.push({ path: `${p}.process`, label: 'Process', type: 'select', options: EVENT_PROCESSES, step: 'data', group: slot });
  if (kind === 'manifold') {
    out.push({ path: `${p}.shape`, label: 'Shape', type: 'select', options: MANIFOLD_SHAPES, step: 'data', group: slot });
    out.push(f('dim', 'Ambient dimension (sphere)', { optional: true }));
  }
  if (kind === 'phase-space') out.push(f('particles', 'Particles'));
  out.push(f('n', kind === 'jets' ? 'Jets' : kind === 'events' ? 'Events' : 'Rows'), f('seed', 'Generator seed'));
  if (kind === 'phase-space' || kind === 'dijet') out.push(f('sqrtS', '√s (GeV)', { optional: true }));
  if (kind !== 'jets' && kind !== 'events') out.push(f('signalFraction', 'Signal fraction', { optional: true }));
  if (kind === 'manifold') out.push(f('signalRadius', 'Signal patch radius', { optional: true }));
  if (kind === 'phase-space' || kind === 'dijet') out.push(f('signalMass', 'Signal mass (GeV)', { optional: true }));
  return out;
}

function slotFields(file: Obj, slot: string, optional: boolean): FieldSpec[] {
  const value = getPath(file, slot);
  const source = !isObj(value) ? 'none' : 'dataset' in value ? 'dataset' : 'generate';
  const options = optional ? ['generate', 'dataset', 'none'] : ['generate', 'dataset'];
  const out: FieldSpec[] = [{ path: `${slot}.${SOURCE}`, label: 'Source', type: 'select', options, step: 'data', group: slot }];
  if (source === 'dataset') out.push({ path: `${slot}.dataset`, label: 'Stored dataset', type: 'dataset', step: 'data', group: slot });
  if (source === 'generate') out.push(...generatorFields(slot, (getPath(value, 'generate.kind') as GeneratorKind) ?? 'jets'));
  return out;
}

function namedSlots(file: Obj, list: string, extra: (item: string) => FieldSpec[] = () => []): FieldSpec[] {
  const items = (getPath(file, list) as unknown[] | undefined) ?? [];
  return items.flatMap((_, i) => {
    const item = `${list}.${i}`;
    return [{ path: `${item}.name`, label: 'Name', type: 'text' as const, step: 'data' as const, group: `${item}.data` }, ...extra(item), ...slotFields(file, `${item}.data`, false)];
  });
}

function dataFields(file: Obj, kind: StudyKind): FieldSpec[] {
  switch (kind) {
    case 'train-evaluate':
      return [...slotFields(file, 'background', false), ...((file.signal as unknown[]) ?? []).flatMap((_, i) => slotFields(file, `signal.${i}`, false))];
    case 'inverted-task':
      return ['a', 'b'].flatMap((c) => [{ path: `${c}.name`, label: 'Class name', type: 'text' as const, step: 'data' as const, group: `${c}.data` }, ...slotFields(file, `${c}.data`, false)]);
    case 'mass-decorrelation':
      return [...slotFields(file, 'background', false), ...namedSlots(file, 'signals'), ...slotFields(file, 'outliers', true)];
    case 'representation':
      return [...slotFields(file, 'background', false), ...namedSlots(file, 'signals')];
    case 'topology':
      return namedSlots(file, 'manifolds', (item) => [num(`${item}.intrinsicDim`, 'Intrinsic dimension', 'data', { group: `${item}.data` })]);
    case 'bump-hunt':
      return [
        ...slotFields(file, 'data', false),
        { path: 'mass', label: 'Mass column or array', type: 'text', step: 'data', group: 'data', optional: true },
        num('sqrtS', '√s of the dijet function (GeV)', 'data', { group: 'data', optional: true }),
      ];
  }
}

/** The fields of a representation at `p` (the model's, or a preprocessing variant's); `optional`: empty means the model's default. */
function representationFields(file: Obj, p: string, optional: boolean, group?: string): FieldSpec[] {
  const rep = getPath(file, p);
  const kind = isObj(rep) ? String(rep.kind) : '';
  const f = (path: string, label: string, type: FieldType, extra: Partial<FieldSpec> = {}): FieldSpec => ({ path: `${p}.${path}`, label, type, step: 'model', group, ...extra });
  const out: FieldSpec[] = [
    f('kind', 'Representation', 'select', optional ? { options: ['', ...REPRESENTATION_KINDS], hint: 'default: the model’s own' } : { options: REPRESENTATION_KINDS }),
  ];
  if (kind === 'jet-images') {
    out.push(f('pixels', 'Image pixels', 'number', { optional: true }), f('range', 'Image half-width (η, φ)', 'number', { optional: true }));
    out.push(f('transform', 'Intensity transform', 'select', { options: INTENSITY_TRANSFORMS, optional: true }));
  }
  if (kind === 'constituents') {
    out.push(f('n', 'Constituents', 'number', { optional: true }), f('coords', 'Coordinates', 'select', { options: ['p4', 'pt-deta-dphi'], optional: true }));
    out.push(f('scale', 'Robust scaling', 'bool'));
  }
  if (kind === 'event-objects') out.push(f('sinCos', 'sin/cos of φ', 'bool'));
  if (kind === 'features') out.push(f('scale', 'Scale features', 'bool'), f('columns', 'Feature columns', 'strings', { optional: true, hint: 'comma-separated; empty: all' }));
  return out;
}

function modelFields(file: Obj, kind: StudyKind): FieldSpec[] {
  const model = String(getPath(file, 'model.model'));
  const m = (name: string, label: string, extra: Partial<FieldSpec> = {}) => num(`model.${name}`, label, 'model', { optional: true, ...extra });
  const out: FieldSpec[] = [{ path: 'model.model', label: 'Model', type: 'select', options: MODEL_KINDS, step: 'model' }, ...representationFields(file, 'model.representation', true)];
  out.push(m('epochs', 'Epochs'), m('batchSize', 'Batch size'), m('learningRate', 'Learning rate'));
  out.push({ path: 'model.widths', label: 'Layer widths', type: 'numbers', step: 'model', optional: true, hint: 'comma-separated; empty: the model’s default' });
  out.push({ path: 'model.activation', label: 'Activation', type: 'select', options: ['', ...ACTIVATIONS], step: 'model', optional: true });
  if (model === 'conv-ae') out.push(m('bottleneck', 'Bottleneck width'));
  if (model === 'vae') out.push(m('latent', 'Latent dimension'), m('beta', 'β (KL weight)'));
  if (model === 'anomalyclr') out.push(m('clrEpochs', 'Contrastive epochs'), m('repDim', 'Representation width'), m('layers', 'Transformer layers'), m('heads', 'Attention heads'));
  return [...out, ...studyFields(file, kind)];
}

/** What each study kind scans or adds beyond the model. */
function studyFields(file: Obj, kind: StudyKind): FieldSpec[] {
  // Left empty, a scan takes the schema's default.
  const list = (path: string, label: string, type: FieldType, extra: Partial<FieldSpec> = {}): FieldSpec => ({
    path,
    label,
    type,
    step: 'model',
    optional: true,
    ...extra,
    hint: [extra.hint, 'empty: the study’s default'].filter(Boolean).join('; '),
  });
  const massBins = [num('massBins.low', 'Mass range from (GeV)', 'model'), num('massBins.high', 'Mass range to (GeV)', 'model'), num('massBins.bins', 'Mass bins', 'model')];
  const bins = isObj(file.massBins) ? massBins : [];
  switch (kind) {
    case 'mass-decorrelation':
      return [
        list('disco', 'DisCo weights λ', 'numbers', { hint: 'comma-separated; 0 is the plain β-VAE' }),
        list('oe', 'OE-VAE variants', 'strings', { options: OE_VARIANTS, hint: `comma-separated: ${OE_VARIANTS.join(', ')}` }),
        num('oeLambda', 'OE weight λ', 'model', { optional: true }),
        list('efficiencies', 'Background efficiencies of the cuts', 'numbers'),
        ...bins,
      ];
    case 'topology':
      return [
        list('latentOffsets', 'Latent offsets from the intrinsic dimension', 'numbers', { hint: '−1 below, 0 at, 1 above' }),
        list('hidden', 'Hidden widths before the bottleneck', 'numbers'),
        num('positionBins', 'Position bins', 'model', { optional: true }),
        num('snapshots', 'Latent snapshot rows', 'model', { optional: true }),
      ];
    case 'bump-hunt':
      return [
        list('efficiencies', 'Score-cut efficiencies', 'numbers', { hint: 'fractions of the events kept; 1 = no cut' }),
        list('windowWidths', 'Signal window widths (bins)', 'numbers'),
        num('toys', 'Pseudo-experiments (0: local Z only)', 'model', { optional: true }),
        ...bins,
      ];
    case 'representation':
      return [
        list('losses', 'Contrastive losses', 'strings', { hint: `comma-separated: ${CLR_LOSSES.join(', ')}` }),
        list('repDims', 'Representation widths', 'numbers'),
        list('augmentations', 'Anomalous augmentation sets', 'string-sets', { hint: `sets separated by ';', members by '+': ${ANOMALOUS_AUGMENTATIONS.join(', ')}` }),
      ];
    case 'inverted-task': {
      const semi = isObj(file.semiSupervised);
      const out: FieldSpec[] = [{ path: 'semiSupervised.$on', label: 'Semi-supervised training', type: 'bool', step: 'model', hint: 'each direction also sees labelled rows of the class it tags' }];
      if (semi) out.push(num('semiSupervised.rows', 'Labelled rows of the tagged class', 'model'), num('semiSupervised.lambda', 'Outlier weight λ', 'model', { optional: true }), num('semiSupervised.margin', 'Margin', 'model', { optional: true }));
      // Preprocessing variants: each trained in both directions with its own representation.
      ((file.variants as unknown[] | undefined) ?? []).forEach((_, i) => {
        const item = `variants.${i}`;
        out.push({ path: `${item}.name`, label: 'Variant name', type: 'text', step: 'model', group: item }, ...representationFields(file, `${item}.representation`, false, item));
      });
      return out;
    }
    case 'train-evaluate':
      return [];
  }
}

/** Every field of the wizard for the file's current shape, in display order. */
export function fieldsOf(file: Obj, kind: StudyKind): FieldSpec[] {
  return [
    ...dataFields(file, kind),
    ...modelFields(file, kind),
    { path: 'name', label: 'Study name', type: 'text', step: 'seeds' },
    { path: 'seeds', label: 'Seeds', type: 'numbers', step: 'seeds', hint: 'comma-separated; one training run per seed' },
  ];
}

// ---- values ------------------------------------------------------------------------------------------

function valueOf(field: FieldSpec, file: Obj): FieldValue {
  if (field.path.endsWith(`.${SOURCE}`)) {
    const slot = getPath(file, field.path.slice(0, -SOURCE.length - 1));
    return !isObj(slot) ? 'none' : 'dataset' in slot ? 'dataset' : 'generate';
  }
  if (field.path === 'semiSupervised.$on') return isObj(file.semiSupervised);
  const v = getPath(file, field.path);
  switch (field.type) {
    case 'bool':
      return v === true;
    case 'numbers':
    case 'strings':
      return Array.isArray(v) ? v.join(', ') : '';
    case 'string-sets':
      return Array.isArray(v) ? (v as string[][]).map((s) => s.join('+')).join('; ') : '';
    default:
      return v === undefined || v === null ? '' : String(v);
  }
}

export function toForm(file: StudyFile): StudyForm {
  const base = clone(file) as Obj;
  const values = Object.fromEntries(fieldsOf(base, file.kind).map((f) => [f.path, valueOf(f, base)]));
  return { kind: file.kind, base, values };
}

type Parsed = { value: unknown } | { absent: true } | { error: string };
const splitList = (s: string, sep: RegExp) =>
  s
    .split(sep)
    .map((x) => x.trim())
    .filter((x) => x !== '');

function parseNumber(s: string): number | null {
  const t = s.trim();
  const n = Number(t);
  return t === '' || !Number.isFinite(n) ? null : n;
}

function parseValue(field: FieldSpec, raw: FieldValue): Parsed {
  if (typeof raw === 'boolean') return { value: raw };
  const text = raw.trim();
  if (text === '' && field.optional) return { absent: true };
  switch (field.type) {
    case 'number': {
      const n = parseNumber(text);
      return n === null ? { error: text === '' ? 'a number is required' : `“${text}” is not a number` } : { value: n };
    }
    case 'numbers': {
      const parts = splitList(text, /[,\s]+/);
      const bad = parts.find((p) => parseNumber(p) === null);
      return bad !== undefined ? { error: `“${bad}” is not a number` } : { value: parts.map(Number) };
    }
    case 'strings':
      return { value: splitList(text, /,/) };
    case 'string-sets':
      return { value: splitList(text, /;/).map((set) => splitList(set, /\+/)) };
    default:
      return text === '' && field.type === 'select' ? { absent: true } : { value: field.type === 'text' || field.type === 'dataset' ? raw : text };
  }
}

/** The study file the form describes, and the fields whose text cannot be read. */
export function toStudyFile(form: StudyForm): { file: Obj; errors: Record<string, string> } {
  const file = clone(form.base);
  const errors: Record<string, string> = {};
  for (const field of fieldsOf(form.base, form.kind)) {
    if (field.path.includes('$')) continue;
    const raw = form.values[field.path] ?? valueOf(field, form.base);
    const parsed = parseValue(field, raw);
    if ('error' in parsed) {
      errors[field.path] = parsed.error;
      deletePath(file, field.path);
    } else if ('absent' in parsed) deletePath(file, field.path);
    else setPath(file, field.path, parsed.value);
  }
  return { file, errors };
}

// ---- validation --------------------------------------------------------------------------------------

/** The field showing an issue at `issuePath`: the same path, else the closest field above or below it. */
export function fieldForIssue(issuePath: string, fieldPaths: string[]): string | null {
  if (fieldPaths.includes(issuePath)) return issuePath;
  const above = fieldPaths.filter((p) => issuePath.startsWith(`${p}.`)).sort((a, b) => b.length - a.length)[0];
  if (above) return above;
  return fieldPaths.find((p) => issuePath !== '' && p.startsWith(`${issuePath}.`) && !p.endsWith(SOURCE)) ?? null;
}

export function validateForm(form: StudyForm): FormValidation {
  const { file, errors } = toStudyFile(form);
  const general: string[] = [];
  const r = StudyFile.safeParse(file);
  if (!r.success) {
    const paths = fieldsOf(form.base, form.kind).map((f) => f.path);
    for (const issue of r.error.issues) {
      const at = fieldForIssue(issue.path.join('.'), paths);
      const message = issueMessage(issue);
      if (at === null) general.push(`${issue.path.join('.') || 'study'}: ${message}`);
      else errors[at] ??= message;
    }
  }
  return { file: r.success && Object.keys(errors).length === 0 ? (file as StudyFile) : null, errors, general };
}

/** Plain wording for the schema's messages ("Too small: expected number to be >=1" → "must be at least 1"). */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small' && issue.origin === 'number') return `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`;
  if (issue.code === 'too_small' && issue.origin === 'array') return `needs at least ${String(issue.minimum)} entr${issue.minimum === 1 ? 'y' : 'ies'}`;
  if (issue.code === 'too_small' && issue.origin === 'string') return 'is required';
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'must be a whole number';
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
  return issue.message;
}

// ---- reshaping ---------------------------------------------------------------------------------------

const GENERATOR_DEFAULTS: Record<GeneratorKind, Obj> = {
  jets: { kind: 'jets', process: 'qcd', n: 1000, seed: 1 },
  events: { kind: 'events', process: 'sm', n: 1000, seed: 1 },
  manifold: { kind: 'manifold', shape: 'circle', n: 3000, seed: 1, signalFraction: 0.02, signalRadius: 0.3 },
  'phase-space': { kind: 'phase-space', particles: 3, sqrtS: 1000, n: 10_000, seed: 1, signalFraction: 0.01 },
  dijet: { kind: 'dijet', n: 30_000, seed: 1, sqrtS: 13_000, signalFraction: 0.01, signalMass: 3_500 },
};

/** Whether changing this field changes which fields exist (source, generator, representation, a toggle, the model). */
export function reshapes(path: string): boolean {
  return path.endsWith(`.${SOURCE}`) || path.endsWith('.generate.kind') || path.endsWith('representation.kind') || path === 'semiSupervised.$on' || path === 'model.model';
}

/**
 * Rebuilds the form from its current file changed by `change`, keeping the text (even unreadable text) of
 * fields that remain where they were; `keepText` is off when entries move (a list item removed).
 */
function reshape(form: StudyForm, change: (file: Obj) => void, keepText = true): StudyForm {
  const current = toStudyFile(form).file;
  change(current);
  const next = toForm(current as StudyFile);
  if (!keepText) return next;
  for (const f of fieldsOf(next.base, next.kind)) {
    if (f.path in form.values && typeof form.values[f.path] === typeof next.values[f.path] && !reshapes(f.path)) next.values[f.path] = form.values[f.path];
  }
  return next;
}

/** Sets a field; fields that reshape the file rebuild the form. */
export function setField(form: StudyForm, path: string, value: FieldValue): StudyForm {
  if (!reshapes(path)) return { ...form, values: { ...form.values, [path]: value } };
  return reshape(form, (file) => {
    if (path.endsWith(`.${SOURCE}`)) {
      const slot = path.slice(0, -SOURCE.length - 1);
      if (value === 'none') deletePath(file, slot);
      else setPath(file, slot, value === 'dataset' ? { dataset: '' } : { generate: clone(GENERATOR_DEFAULTS.jets) });
    } else if (path.endsWith('.generate.kind')) {
      setPath(file, path.slice(0, -'.kind'.length), clone(GENERATOR_DEFAULTS[value as GeneratorKind]));
    } else if (path.endsWith('representation.kind')) {
      const at = path.slice(0, -'.kind'.length);
      if (value === '') deletePath(file, at);
      else setPath(file, at, RepresentationSpec.parse({ kind: value }));
    } else if (path === 'semiSupervised.$on') {
      if (value) file.semiSupervised = { rows: 100, lambda: 1, margin: 2 };
      else delete file.semiSupervised;
    } else setPath(file, path, value);
  });
}

/** The lists of a study kind the wizard can grow or shrink (down to `min` entries), and the step that shows them. */
export function listsOf(kind: StudyKind): { path: string; label: string; step: WizardStep; min: number }[] {
  if (kind === 'train-evaluate') return [{ path: 'signal', label: 'signal', step: 'data', min: 1 }];
  if (kind === 'mass-decorrelation' || kind === 'representation') return [{ path: 'signals', label: 'signal', step: 'data', min: 1 }];
  if (kind === 'topology') return [{ path: 'manifolds', label: 'manifold', step: 'data', min: 1 }];
  if (kind === 'inverted-task') return [{ path: 'variants', label: 'preprocessing variant', step: 'model', min: 0 }];
  return [];
}

/**
 * Adds a copy of the list's last entry, with the next generator seed so that it is new data; the first
 * preprocessing variant starts from the model's representation.
 */
export function addItem(form: StudyForm, list: string): StudyForm {
  return reshape(form, (file) => {
    const items = (getPath(file, list) as unknown[] | undefined) ?? [];
    setPath(file, list, items);
    if (items.length === 0) {
      items.push({ name: 'variant 1', representation: clone(getPath(file, 'model.representation') ?? { kind: 'jet-images' }) });
      return;
    }
    const copy = clone(items[items.length - 1]) as Obj;
    const gen = (getPath(copy, 'generate') ?? getPath(copy, 'data.generate')) as Obj | undefined;
    if (gen && typeof gen.seed === 'number') gen.seed += 1;
    if (typeof copy.name === 'string') copy.name = `${copy.name} ${items.length + 1}`;
    items.push(copy);
  });
}

export function removeItem(form: StudyForm, list: string, index: number): StudyForm {
  return reshape(form, (file) => {
    (getPath(file, list) as unknown[]).splice(index, 1);
  }, false);
}
