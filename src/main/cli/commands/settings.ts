import { resolve } from 'node:path';
import { SettingsPatch, type Settings } from '@shared/api';
import { UsageError, type Command } from '../command';
import { table } from '../format';

export const settings: Command = {
  name: 'settings',
  args: '[KEY VALUE]',
  summary: 'show the settings, or set one (backend, theme, threads, start-home)',
  help: [
    'awb settings backend wasm    force the wasm backend from now on (auto: fastest available)',
    'awb settings threads 2',
    'awb settings start-home DIR  open the workbench home DIR from the next start (default: the OS app-data folder;',
    '                             --home and AWB_HOME still win)',
  ],
  options: {},
  minPositionals: 0,
  maxPositionals: 2,
  async run({ engine, positionals, out }) {
    const e = await engine();
    let result: Settings;
    const [key, value] = positionals;
    if (key !== undefined && value === undefined) throw new UsageError(`settings: a value for ${key} is missing`);
    if (key === 'start-home') {
      await e.call('settings.setStartHome', { path: value === 'default' ? null : resolve(value) });
      result = await e.call('settings.get', {});
    } else if (key === undefined) result = await e.call('settings.get', {});
    else {
      if (!(key in SettingsPatch.shape)) throw new UsageError(`settings: unknown key ${key} (known: ${Object.keys(SettingsPatch.shape).join(', ')})`);
      const parsed = SettingsPatch.safeParse({ [key]: key === 'threads' ? Number(value) : value });
      if (!parsed.success) throw new UsageError(`settings: ${key}: ${parsed.error.issues[0].message}`);
      result = await e.call('settings.set', parsed.data);
    }
    const homes = await e.call('settings.home', {});
    const shown = { ...result, home: homes.current, startHome: homes.startHome ?? `${homes.defaultHome} (default)` };
    out.result(shown, (s) => table(['setting', 'value'], Object.entries(s).map(([k, v]) => [k, String(v)])));
    return 0;
  },
};
