// Readable contrast in both themes: the text colours of src/renderer/src/styles/theme.css against the
// backgrounds they are drawn on meet WCAG 2.1 (4.5:1 for body text, 3:1 for large or non-text marks).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(__dirname, '../../../src/renderer/src/styles/theme.css'), 'utf8');

/** Every `--name: light-dark(#a, #b)` or `--name: #c` of the root block, as [light, dark] hex colours. */
function themeColours(): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {};
  for (const m of css.matchAll(/--([\w-]+):\s*light-dark\((#[0-9a-f]{6}),\s*(#[0-9a-f]{6})\)/gi)) out[m[1]] = [m[2], m[3]];
  for (const m of css.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6});/gi)) out[m[1]] ??= [m[2], m[2]];
  return out;
}

/** WCAG 2.1 relative luminance and contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio). */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const colours = themeColours();
/** [foreground, background, minimum ratio]: what the stylesheets draw on what. */
const PAIRS: [string, string, number][] = [
  ['text', 'bg', 4.5],
  ['text', 'surface', 4.5],
  ['text-muted', 'surface', 4.5],
  ['text-muted', 'bg', 4.5],
  ['accent', 'surface', 4.5],
  ['on-accent', 'accent', 4.5],
  ['danger', 'surface', 4.5],
  ['danger', 'danger-soft', 4.5],
  ['ok', 'ok-soft', 4.5],
  ['warn', 'warn-soft', 4.5],
  ['info', 'info-soft', 4.5],
  ['nav-text', 'nav-bg', 4.5],
  ['nav-text-active', 'nav-active', 4.5],
  // Hints and axis lines are secondary marks: the non-text minimum.
  ['text-faint', 'surface', 3],
  ['chart-axis', 'surface', 3],
  ['chart-1', 'surface', 3],
  ['chart-2', 'surface', 3],
  ['chart-3', 'surface', 3],
  ['chart-4', 'surface', 3],
];

describe('theme contrast (WCAG 2.1)', () => {
  it('reads the theme colours', () => {
    expect(Object.keys(colours).length).toBeGreaterThan(20);
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 6);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
  for (const [theme, i] of [['light', 0], ['dark', 1]] as const) {
    it.each(PAIRS)(`${theme}: --%s on --%s is at least %s:1`, (fg, bg, min) => {
      expect(colours[fg], `--${fg}`).toBeDefined();
      expect(colours[bg], `--${bg}`).toBeDefined();
      expect(contrast(colours[fg][i], colours[bg][i])).toBeGreaterThanOrEqual(min);
    });
  }
});
