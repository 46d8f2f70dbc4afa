import type { Command } from '../command';

export const tag: Command = {
  name: 'tag',
  args: 'RUN TAG',
  summary: 'add a tag to a run (--remove takes it off)',
  help: ['--remove   remove the tag instead of adding it'],
  options: { remove: { type: 'boolean' } },
  minPositionals: 2,
  maxPositionals: 2,
  async run({ engine, positionals: [id, t], values, out }) {
    const e = await engine();
    const tags = values.remove ? await e.call('runs.untag', { id, tag: t }) : await e.call('runs.tag', { id, tag: t });
    out.result({ id, tags }, (r) => `${r.id}: ${r.tags.join(', ') || 'no tags'}`);
    return 0;
  },
};
