// Label conventions shared by every reader: which column holds the labels when the user names none, which
// values are label codes, how codes are named, and the label of a whole file. One place, so that a dataset's
// labels read the same whichever format it came in.
import { UNLABELLED } from './source';

/** A code for every row of a file and the label names that go with it. */
export interface FileLabel {
  code: number;
  labelNames: Record<string, string>;
}

/** Column (branch, dataset, .npz member) names taken as the labels when none is given, in order of preference. */
export const LABEL_COLUMN_NAMES: readonly string[] = ['label', 'labels', 'is_signal', 'is_signal_new', 'y', 'target'];

/** Label names that mean "background" (code 0) when a whole file is given one label. */
export const BACKGROUND_LABELS: readonly string[] = ['background', 'bkg', 'sm', 'qcd'];

const UNLABELLED_NAME = 'unlabelled';

/** The first of LABEL_COLUMN_NAMES among `names` (case-insensitive), as spelled in `names`. */
export function defaultLabelColumn(names: Iterable<string>): string | undefined {
  const byLower = new Map<string, string>();
  for (const n of names) if (!byLower.has(n.toLowerCase())) byLower.set(n.toLowerCase(), n);
  for (const wanted of LABEL_COLUMN_NAMES) if (byLower.has(wanted)) return byLower.get(wanted);
  return undefined;
}

/** The int8 class code of a label value, or null when it is not an integer in −1…127 (−1 = unlabelled). */
export function labelCode(value: number): number | null {
  return Number.isInteger(value) && value >= UNLABELLED && value <= 127 ? value : null;
}

/**
 * Names for the label codes found in a file: −1 'unlabelled'; codes within {0, 1} are 'background' and
 * 'signal' (the usual anomaly-detection pair); any other set is 'class k'.
 */
export function labelNamesOf(codes: Iterable<number>): Record<string, string> {
  const sorted = [...new Set(codes)].sort((a, b) => a - b);
  const binary = sorted.every((c) => c <= 1);
  const names: Record<string, string> = {};
  for (const c of sorted) {
    names[String(c)] = c === UNLABELLED ? UNLABELLED_NAME : binary ? (c === 0 ? 'background' : 'signal') : `class ${c}`;
  }
  return names;
}

/** The code and label names for a file whose every row has the label `name`: background names → 0, others → 1. */
export function wholeFileLabel(name: string): FileLabel {
  const code = BACKGROUND_LABELS.includes(name.toLowerCase()) ? 0 : 1;
  return { code, labelNames: { [String(code)]: name } };
}

/** Labels for a whole file: the user's label (see wholeFileLabel) when given, else unlabelled. */
export function fileLabel(label: string | undefined): FileLabel {
  return label === undefined ? { code: UNLABELLED, labelNames: { [String(UNLABELLED)]: UNLABELLED_NAME } } : wholeFileLabel(label);
}
