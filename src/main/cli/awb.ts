// `awb`: the command-line face of the engine. Global flags may stand anywhere; each command
// declares its own options. JSON goes to stdout with --json, human text otherwise; errors go to
// stderr with a non-zero exit code.
import { parseArgs } from 'node:util';
import { ApiError, BACKEND_NAMES, BackendChoice } from '@shared/api';
import { Engine } from '../engine/engine';
import { ENGINE_VERSION } from '../engine/version';
import { UsageError, type Command, type CommandContext, type GlobalOptions, type Output } from './command';
import { COMMANDS } from './commands';

const GLOBAL_OPTIONS = {
  home: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

const GLOBAL_HELP = [
  '--home DIR        workbench home (default: $AWB_HOME, else the OS app-data folder)',
  '--backend NAME    tensorflow-gpu | tensorflow | webgpu | wasm | cpu | auto (default: the setting, else auto)',
  '--json            machine-readable JSON on stdout',
  '--help, -h        help (also `awb help COMMAND`)',
  '--version, -V     print the version',
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => `${c.name} ${c.args}`.length));
  return [
    `awb ${ENGINE_VERSION} — Anomaly Workbench`,
    '',
    'usage: awb [global options] COMMAND [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${`${c.name} ${c.args}`.padEnd(width)}  ${c.summary}`),
    '',
    'global options:',
    ...GLOBAL_HELP.map((l) => `  ${l}`),
  ].join('\n');
}

function commandHelp(c: Command): string {
  return [`usage: awb ${c.name} ${c.args}`.trimEnd(), '', c.summary, ...(c.help.length ? ['', ...c.help] : []), '', 'global options:', ...GLOBAL_HELP.map((l) => `  ${l}`)].join('\n');
}

/** The command name is the first argument that is neither a flag nor the value of a global flag. */
function splitCommand(argv: string[]): { name: string | undefined; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--home' || a === '--backend') {
      i++;
      continue;
    }
    if (!a.startsWith('-')) return { name: a, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { name: undefined, rest: argv };
}

function makeOutput(json: boolean): Output {
  return {
    result(value, text) {
      process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text(value)}\n`);
    },
    info(line) {
      if (!json) process.stderr.write(`${line}\n`);
    },
  };
}

function reportError(err: unknown, json: boolean): number {
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof UsageError ? 'usage' : err instanceof ApiError ? err.code : 'internal';
  process.stderr.write(json ? `${JSON.stringify({ error: { message, code } })}\n` : `awb: ${message}\n`);
  return code === 'usage' || code === 'bad-request' ? 2 : 1;
}

export async function main(argv: string[]): Promise<number> {
  const { name, rest } = splitCommand(argv);
  const json = rest.includes('--json');
  let engine: Engine | null = null;
  try {
    if (name === 'help') {
      const target = COMMANDS.find((c) => c.name === rest.find((a) => !a.startsWith('-')));
      process.stdout.write(`${target ? commandHelp(target) : usage()}\n`);
      return 0;
    }
    const command = name === undefined ? undefined : COMMANDS.find((c) => c.name === name);
    if (name !== undefined && !command) throw new UsageError(`unknown command ${JSON.stringify(name)}; \`awb --help\` lists the commands`);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...(command?.options ?? {}) }, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.version) {
      process.stdout.write(json ? `${JSON.stringify({ version: ENGINE_VERSION })}\n` : `${ENGINE_VERSION}\n`);
      return 0;
    }
    if (!command || values.help) {
      process.stdout.write(`${command ? commandHelp(command) : usage()}\n`);
      return command || values.help ? 0 : 2;
    }
    if (positionals.length < command.minPositionals || positionals.length > command.maxPositionals) {
      throw new UsageError(`usage: awb ${command.name} ${command.args}`.trimEnd());
    }
    let backend: BackendChoice | undefined;
    if (values.backend !== undefined) {
      const b = BackendChoice.safeParse(values.backend);
      if (!b.success) throw new UsageError(`--backend: unknown backend ${JSON.stringify(values.backend)} (one of ${[...BACKEND_NAMES, 'auto'].join(', ')})`);
      backend = b.data;
    }
    const global: GlobalOptions = { home: values.home as string | undefined, backend, json };
    const ctx: CommandContext = {
      global,
      values,
      positionals,
      out: makeOutput(json),
      engine: async () => (engine ??= await Engine.open({ home: global.home, backend })),
    };
    return await command.run(ctx);
  } catch (err) {
    return reportError(err, json);
  } finally {
    await (engine as Engine | null)?.close();
  }
}
