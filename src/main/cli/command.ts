// What every `awb` command looks like: a name, its help text, its options, and a run function
// that gets the parsed arguments and an output sink (JSON on stdout, or human text).
import type { ParseArgsConfig } from 'node:util';
import type { BackendChoice } from '@shared/api';
import type { Engine } from '../engine/engine';

export interface GlobalOptions {
  home?: string;
  backend?: BackendChoice;
  json: boolean;
}

export interface CommandContext {
  global: GlobalOptions;
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  /** Opens the engine lazily: commands such as `--help` never touch the workbench home. */
  engine(): Promise<Engine>;
  out: Output;
}

export interface Output {
  /** The command's result: JSON on stdout with --json, else `text()` of it. */
  result<T>(value: T, text: (v: T) => string): void;
  /** Human progress and notices on stderr; silent with --json. */
  info(line: string): void;
}

export interface Command {
  name: string;
  args: string;
  summary: string;
  /** Extra help lines (option descriptions, examples). */
  help: string[];
  options: NonNullable<ParseArgsConfig['options']>;
  minPositionals: number;
  maxPositionals: number;
  run(ctx: CommandContext): Promise<number>;
}

/** Thrown for a misuse the user can fix; printed without a stack trace. */
export class UsageError extends Error {}
