// The workbench home: one folder holding the registry database, run artifacts and imported datasets.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { posix, resolve, win32 } from 'node:path';

export const HOME_ENV = 'AWB_HOME';

export interface HomeLayout {
  home: string;
  registry: string;
  artifacts: string;
  datasets: string;
}

export function homeLayout(home: string): HomeLayout {
  return {
    home,
    registry: resolve(home, 'registry.sqlite'),
    artifacts: resolve(home, 'artifacts'),
    datasets: resolve(home, 'datasets'),
  };
}

/** The OS app-data folder for the workbench; pure, so every platform's rule can be tested on any machine. */
export function defaultHome(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, userHome: string): string {
  if (platform === 'win32') {
    return win32.join(env.APPDATA || win32.join(userHome, 'AppData', 'Roaming'), 'Anomaly Workbench');
  }
  if (platform === 'darwin') return posix.join(userHome, 'Library', 'Application Support', 'Anomaly Workbench');
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME && posix.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : posix.join(userHome, '.local', 'share');
  return posix.join(xdg, 'anomaly-workbench');
}

/** `--home DIR` wins, then `AWB_HOME`, then the OS app-data folder. Creates the home and its sub-folders. */
export function resolveHome(opts: { home?: string; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform } = {}): string {
  const env = opts.env ?? process.env;
  if (opts.home !== undefined && opts.home.trim() === '') throw new Error('--home: the folder name is empty');
  const chosen = opts.home ?? (env[HOME_ENV] || defaultHome(opts.platform ?? process.platform, env, homedir()));
  const layout = homeLayout(resolve(chosen));
  for (const dir of [layout.home, layout.artifacts, layout.datasets]) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new Error(`workbench home ${layout.home}: cannot create folder ${dir}: ${(e as Error).message}`);
    }
  }
  return layout.home;
}
