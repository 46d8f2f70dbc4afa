import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseStartHome, defaultHome, homeChoice, homeLayout, resolveHome } from '../../../src/main/engine/home';
import { useTempHomes } from './helpers';

const tempDir = useTempHomes();

describe('defaultHome', () => {
  it('follows XDG on Linux, ignoring a relative XDG_DATA_HOME as the spec requires', () => {
    expect(defaultHome('linux', { XDG_DATA_HOME: '/data/xdg' }, '/home/ada')).toBe('/data/xdg/anomaly-workbench');
    expect(defaultHome('linux', { XDG_DATA_HOME: 'rel/xdg' }, '/home/ada')).toBe('/home/ada/.local/share/anomaly-workbench');
    expect(defaultHome('linux', {}, '/home/ada')).toBe('/home/ada/.local/share/anomaly-workbench');
  });

  it('uses Application Support on macOS and APPDATA on Windows', () => {
    expect(defaultHome('darwin', {}, '/Users/ada')).toBe('/Users/ada/Library/Application Support/Anomaly Workbench');
    expect(defaultHome('win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'C:\\Users\\ada')).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\Anomaly Workbench',
    );
    expect(defaultHome('win32', {}, 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Roaming\\Anomaly Workbench');
  });
});

describe('resolveHome', () => {
  it('prefers --home over AWB_HOME over the app-data folder, and creates the layout', () => {
    const base = tempDir();
    const env = { AWB_HOME: join(base, 'env-home'), XDG_DATA_HOME: join(base, 'xdg') };
    expect(resolveHome({ home: join(base, 'flag-home'), env, platform: 'linux' })).toBe(join(base, 'flag-home'));
    expect(resolveHome({ env, platform: 'linux' })).toBe(join(base, 'env-home'));
    expect(resolveHome({ env: { ...env, AWB_HOME: '' }, platform: 'linux' })).toBe(join(base, 'xdg', 'anomaly-workbench'));
    expect(existsSync(join(base, 'env-home'))).toBe(true);
    const layout = homeLayout(join(base, 'flag-home'));
    for (const dir of [layout.home, layout.artifacts, layout.datasets]) expect(statSync(dir).isDirectory()).toBe(true);
    expect(layout.registry).toBe(join(base, 'flag-home', 'registry.sqlite'));
  });

  it('makes a relative --home absolute', () => {
    const base = tempDir();
    const rel = join(base, 'a', '..', 'b');
    expect(resolveHome({ home: rel, env: {} })).toBe(resolve(base, 'b'));
  });

  it('rejects an empty --home and a home that is a file, naming the path', () => {
    expect(() => resolveHome({ home: '  ', env: {} })).toThrow(/--home: the folder name is empty/);
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    expect(() => resolveHome({ home: file, env: {} })).toThrow(new RegExp(`cannot create folder ${file}`));
  });
});

describe('the home later starts open (Settings)', () => {
  it('is kept in the app-data folder, used after --home and AWB_HOME, and forgotten with null', () => {
    const base = tempDir();
    const opts = { env: { XDG_DATA_HOME: join(base, 'xdg') }, platform: 'linux' as const };
    const appData = join(base, 'xdg', 'anomaly-workbench');
    expect(homeChoice(opts)).toEqual({ startHome: null, defaultHome: appData });
    const chosen = join(base, 'projects', 'tops');
    expect(chooseStartHome(chosen, opts)).toEqual({ startHome: chosen, defaultHome: appData });
    // Created now, so that a bad choice is refused at once rather than at the next start.
    expect(statSync(join(chosen, 'datasets')).isDirectory()).toBe(true);
    expect(JSON.parse(readFileSync(join(appData, 'start-home.json'), 'utf8'))).toEqual({ home: chosen });
    expect(resolveHome(opts)).toBe(chosen);
    expect(resolveHome({ ...opts, env: { ...opts.env, AWB_HOME: join(base, 'env') } })).toBe(join(base, 'env'));
    expect(resolveHome({ ...opts, home: join(base, 'flag') })).toBe(join(base, 'flag'));
    expect(chooseStartHome(null, opts).startHome).toBeNull();
    expect(resolveHome(opts)).toBe(appData);
  });

  it('refuses a folder it cannot create and names a broken choice file', () => {
    const base = tempDir();
    const opts = { env: { XDG_DATA_HOME: join(base, 'xdg') }, platform: 'linux' as const };
    const file = join(base, 'a-file');
    writeFileSync(file, 'x');
    expect(() => chooseStartHome(file, opts)).toThrow(new RegExp(`cannot create folder ${file}`));
    expect(homeChoice(opts).startHome).toBeNull();
    resolveHome({ ...opts, home: join(base, 'xdg', 'anomaly-workbench') });
    writeFileSync(join(base, 'xdg', 'anomaly-workbench', 'start-home.json'), '{"home": 3}');
    expect(() => resolveHome(opts)).toThrow(/start-home\.json: cannot be read as the workbench home to start with/);
  });
});
