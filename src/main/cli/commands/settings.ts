import { SettingsPatch, type Settings } from '@shared/api';
import { UsageError, type Command } from '../command';
import { table } from '../format';

export const settings: Command = {
  name: 'settings',
  args: '[KEY VALUE]',
  summary: 'show the settings, or set one (backend, theme, threads)',
  help: ['awb settings backend wasm    force the wasm backend from now on (auto: fastest available)', 'awb settings threads 2'],
  options: {},
  minPositionals: 0,
  maxPositionals: 2,
  async run({ engine, positionals, out }) {
    const e = await engine();
    let result: Settings;
    if (positionals.length === 0) result = await e.call('settings.get', {});
    else {
      const [key, value] = positionals;
      if (value === undefined) throw new UsageError(`settings: a value for ${key} is missing`);
      if (!(key in SettingsPatch.shape)) throw new UsageError(`settings: unknown key ${key} (known: ${Object.keys(SettingsPatch.shape).join(', ')})`);
      const parsed = SettingsPatch.safeParse({ [key]: key === 'threads' ? Number(value) : value });
      if (!parsed.success) throw new UsageError(`settings: ${key}: ${parsed.error.issues[0].message}`);
      result = await e.call('settings.set', parsed.data);
    }
    out.result(result, (s) => table(['setting', 'value'], Object.entries(s).map(([k, v]) => [k, String(v)])));
    return 0;
  },
};
