// The light ("paper") values of the colour tokens the plot builders use, for renderers without CSS (the
// exports drawn in Node). They must equal the light side of light-dark() in styles/theme.css and
// plots/plot-palette.css; test/unit/export/paper-palette.test.ts parses those files so the two cannot drift.

export const PAPER_PALETTE: Readonly<Record<string, string>> = {
  surface: '#ffffff',
  text: '#1b1f27',
  'text-muted': '#5d6573',
  'border-strong': '#c5cad3',
  'chart-grid': '#e6e8ee',
  'chart-axis': '#8a919d',
  'plot-1': '#3f90da',
  'plot-2': '#ffa90e',
  'plot-3': '#bd1f01',
  'plot-4': '#94a4a2',
  'plot-5': '#832db6',
  'plot-6': '#a96b59',
  'plot-7': '#e76300',
  'plot-8': '#b9ac70',
  'plot-9': '#717581',
  'plot-10': '#92dadd',
  // Data points are drawn in the text colour (plot-palette.css: --plot-data: var(--text)).
  'plot-data': '#1b1f27',
  'plot-seq-0': '#440154',
  'plot-seq-1': '#3b528b',
  'plot-seq-2': '#21918c',
  'plot-seq-3': '#5ec962',
  'plot-seq-4': '#fde725',
};

/** The paper colour of a `--token` variable; an unknown token is a builder/palette mismatch, so it throws. */
export function paperColour(variable: string): string {
  const colour = PAPER_PALETTE[variable.replace(/^--/, '')];
  if (colour === undefined) throw new Error(`plot colour ${variable} has no paper colour (add it to src/shared/plots/paper-palette.ts)`);
  return colour;
}
