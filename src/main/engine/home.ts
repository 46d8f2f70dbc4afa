// The workbench home: one folder holding the registry database, run artifacts and imported datasets.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, posix, resolve, win32 } from 'node:path';
import { writeFileDurably } from './durable-file';

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

/** Where the home to open at start is kept: in the OS app-data folder, which every start can find. */
function startHomeFile(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  return resolve(defaultHome(platform, env, homedir()), START_HOME_FILE);
}
const START_HOME_FILE = 'start-home.json';

export interface HomeChoice {
  /** The home chosen for later starts (Settings), or null for the OS app-data folder. */
  startHome: string | null;
  /** The OS app-data folder. */
  defaultHome: string;
}

type HomeEnv = { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform };

export function homeChoice(opts: HomeEnv = {}): HomeChoice {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const file = startHomeFile(platform, env);
  let startHome: string | null = null;
  if (existsSync(file)) {
    try {
      const home = (JSON.parse(readFileSync(file, 'utf8')) as { home?: unknown }).home;
      if (typeof home !== 'string' || home.trim() === '') throw new Error('"home" is not a folder name');
      startHome = home;
    } catch (e) {
      throw new Error(`${file}: cannot be read as the workbench home to start with (${(e as Error).message}); fix or delete it`);
    }
  }
  return { startHome, defaultHome: defaultHome(platform, env, homedir()) };
}

/**
 * Chooses the home later starts open (null: the OS app-data folder). The folder is created now, so that a
 * bad choice is refused here rather than at the next start. `--home` and AWB_HOME still win.
 */
export function chooseStartHome(home: string | null, opts: HomeEnv = {}): HomeChoice {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const file = startHomeFile(platform, env);
  if (home === null) {
    rmSync(file, { force: true });
  } else {
    const chosen = makeHome(home);
    mkdirSync(dirname(file), { recursive: true });
    writeFileDurably(file, `${JSON.stringify({ home: chosen })}\n`);
  }
  return homeChoice(opts);
}

/** `--home DIR` wins, then `AWB_HOME`, then the home chosen in Settings, then the OS app-data folder. Creates the home and its sub-folders. */
export function resolveHome(opts: { home?: string } & HomeEnv = {}): string {
  const env = opts.env ?? process.env;
  if (opts.home !== undefined && opts.home.trim() === '') throw new Error('--home: the folder name is empty');
  return makeHome(opts.home ?? (env[HOME_ENV] || homeChoice(opts).startHome || defaultHome(opts.platform ?? process.platform, env, homedir())));
}

function makeHome(chosen: string): string {
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
