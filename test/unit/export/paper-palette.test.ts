import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAPER_PALETTE, paperColour } from '../../../src/shared/plots/paper-palette';

const root = resolve(__dirname, '../../..');
const css = ['src/renderer/src/styles/theme.css', 'src/renderer/src/plots/plot-palette.css'].map((f) => readFileSync(resolve(root, f), 'utf8')).join('\n');

/** `--name: value;` declarations of the :root blocks, comments removed. */
function declarations(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) if (!out.has(m[1])) out.set(m[1], m[2].trim());
  return out;
}

/** The light-theme value of a variable as the browser would compute it: light-dark() picks its first colour, var() is followed. */
function lightValue(vars: Map<string, string>, name: string, depth = 0): string {
  const v = vars.get(name);
  if (v === undefined || depth > 5) throw new Error(`${name} is not declared in the theme CSS`);
  const ld = /^light-dark\(\s*([^,]+?)\s*,/.exec(v);
  if (ld) return ld[1].toLowerCase();
  const ref = /^var\((--[\w-]+)\)$/.exec(v);
  return ref ? lightValue(vars, ref[1], depth + 1) : v.toLowerCase();
}

describe('paper palette', () => {
  const vars = declarations(css);

  it('equals the light theme of theme.css and plot-palette.css for every token', () => {
    for (const [token, colour] of Object.entries(PAPER_PALETTE)) expect(colour, token).toBe(lightValue(vars, `--${token}`));
  });

  it('covers every plot colour the palette CSS declares', () => {
    const plotTokens = [...vars.keys()].filter((k) => k.startsWith('--plot-')).map((k) => k.slice(2));
    expect(plotTokens.length).toBeGreaterThan(10);
    for (const t of plotTokens) expect(PAPER_PALETTE[t], t).toBeDefined();
  });

  it('names the token it has no colour for', () => {
    expect(paperColour('--plot-3')).toBe('#bd1f01');
    expect(() => paperColour('--no-such-token')).toThrow(/--no-such-token has no paper colour/);
  });
});
