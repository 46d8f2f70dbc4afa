import type { Command } from '../command';
import { table } from '../format';

export const backends: Command = {
  name: 'backends',
  args: '',
  summary: 'list the TensorFlow.js compute backends, fastest first, and which are available',
  help: ['`--backend NAME` (or the backend setting) forces one; auto takes the first available.'],
  options: {},
  minPositionals: 0,
  maxPositionals: 0,
  async run({ engine, out }) {
    const e = await engine();
    const list = await e.call('backends.list', {});
    const chosen = e.backendChoice;
    const auto = list.find((b) => b.available)?.name;
    out.result(list, (l) =>
      [
        table(
          ['backend', 'available', 'device / reason'],
          l.map((b) => [b.name, b.available ? 'yes' : 'no', b.available ? b.device : b.reason]),
        ),
        '',
        chosen === 'auto' ? `auto selects: ${auto ?? 'none'}` : `forced: ${chosen}`,
      ].join('\n'),
    );
    return 0;
  },
};
