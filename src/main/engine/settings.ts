// User settings kept as a small JSON file in the workbench home (plain and diffable).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Settings } from '@shared/api';

const FILE = 'settings.json';

export function loadSettings(home: string): Settings {
  const path = join(home, FILE);
  if (!existsSync(path)) return Settings.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const r = Settings.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${path}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return r.data;
}

export function saveSettings(home: string, settings: Settings): void {
  const path = join(home, FILE);
  writeFileSync(`${path}.tmp`, JSON.stringify(Settings.parse(settings), null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}
