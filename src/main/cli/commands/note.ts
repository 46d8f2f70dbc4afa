import type { Command } from '../command';

export const note: Command = {
  name: 'note',
  args: 'RUN TEXT',
  summary: 'attach a note to a run',
  help: [],
  options: {},
  minPositionals: 2,
  maxPositionals: 2,
  async run({ engine, positionals: [id, text], out }) {
    const notes = await (await engine()).call('runs.note', { id, text });
    out.result({ id, notes }, (r) => `${r.id}: ${r.notes.length} note${r.notes.length === 1 ? '' : 's'}`);
    return 0;
  },
};
