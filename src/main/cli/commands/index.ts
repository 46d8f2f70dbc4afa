// Every `awb` command, in the order `awb --help` lists them.
import type { Command } from '../command';
import { backends } from './backends';
import { bench } from './bench';
import { datasets } from './datasets';
import { demo } from './demo';
import { exportCommand } from './export';
import { generate } from './generate';
import { importCommand } from './import';
import { note } from './note';
import { represent } from './represent';
import { rescore } from './rescore';
import { resume } from './resume';
import { runs } from './runs';
import { selftest } from './selftest';
import { serve } from './serve';
import { settings } from './settings';
import { show } from './show';
import { study } from './study';
import { tag } from './tag';
import { train } from './train';

export const COMMANDS: Command[] = [backends, selftest, generate, importCommand, datasets, represent, train, resume, rescore, study, exportCommand, demo, runs, show, tag, note, settings, serve, bench];
