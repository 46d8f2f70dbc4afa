#!/usr/bin/env node
// Thin launcher: the CLI is bundled by `electron-vite build` (run by `npm install` via "prepare").
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write(`awb: ${cli} is missing; build it with \`npm run build\` in the project folder.\n`);
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
