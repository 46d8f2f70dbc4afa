// Configurations side by side: flattened to dotted keys (`model`, `lrSchedule.factor`, `widths`) so
// any two runs' configs line up row by row, and rows whose values differ are marked.

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Leaf values as display text by dotted key. Arrays of plain values stay one cell (`[32, 8]`); arrays
 * of objects are indexed (`signals.0.name`); an empty object is one cell `{}`.
 */
export function flattenConfig(config: unknown, prefix = ''): Record<string, string> {
  if (isRecord(config) && Object.keys(config).length > 0) {
    return Object.assign({}, ...Object.entries(config).map(([k, v]) => flattenConfig(v, prefix ? `${prefix}.${k}` : k)));
  }
  if (Array.isArray(config) && config.some((v) => typeof v === 'object' && v !== null)) {
    return Object.assign({}, ...config.map((v, i) => flattenConfig(v, prefix ? `${prefix}.${i}` : String(i))));
  }
  return { [prefix || '(value)']: cellText(config) };
}

function cellText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(cellText).join(', ')}]`;
  return JSON.stringify(v) ?? 'null';
}

export interface DiffRow {
  key: string;
  /** One cell per config; null where that config lacks the key. */
  values: (string | null)[];
  differs: boolean;
}

/** Every key of any config, sorted, with each config's value and whether they differ. */
export function diffConfigs(configs: readonly unknown[]): DiffRow[] {
  const flat = configs.map((c) => flattenConfig(c));
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort((a, b) => a.localeCompare(b));
  return keys.map((key) => {
    const values = flat.map((f) => (key in f ? f[key] : null));
    return { key, values, differs: values.some((v) => v !== values[0]) };
  });
}
