import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtRendererDir, contentType, resolveStaticFile } from '../../../src/main/serve/static-files';
import { makeRendererFixture, type RendererFixture } from './fixtures';

let fx: RendererFixture;
beforeAll(() => {
  fx = makeRendererFixture();
});
afterAll(() => fx.remove());

describe('resolveStaticFile', () => {
  it('maps / to index.html and a path to the file inside the root', async () => {
    expect(await resolveStaticFile(fx.root, '/')).toBe(join(fx.root, 'index.html'));
    expect(await resolveStaticFile(fx.root, '/assets/app.js')).toBe(join(fx.root, 'assets', 'app.js'));
    expect(await resolveStaticFile(fx.root, '/assets/%61pp.js')).toBe(join(fx.root, 'assets', 'app.js'));
  });

  it('resolves nothing outside the root, hidden, or not a regular file', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/link.txt', '/.env', '/assets', '/assets//app.js', 'assets/app.js', '/a\\b', '/%zz']) {
      expect(await resolveStaticFile(fx.root, p), p).toBeNull();
    }
  });
});

describe('contentType', () => {
  it('knows the types a Vite build emits and falls back to octet-stream', () => {
    expect(contentType('a/index.HTML')).toBe('text/html; charset=utf-8');
    expect(contentType('x.mjs')).toBe('text/javascript; charset=utf-8');
    expect(contentType('f.woff2')).toBe('font/woff2');
    expect(contentType('noext')).toBe('application/octet-stream');
  });
});

describe('builtRendererDir', () => {
  it('finds out/renderer from the bundle (out/main) and from the sources (src/main/serve)', () => {
    const repo = join(fx.base, 'repo');
    mkdirSync(join(repo, 'out', 'renderer'), { recursive: true });
    mkdirSync(join(repo, 'out', 'main'), { recursive: true });
    mkdirSync(join(repo, 'src', 'main', 'serve'), { recursive: true });
    writeFileSync(join(repo, 'out', 'renderer', 'index.html'), '');
    expect(builtRendererDir(join(repo, 'out', 'main', 'cli.js'))).toBe(join(repo, 'out', 'renderer'));
    expect(builtRendererDir(join(repo, 'src', 'main', 'serve', 'static-files.ts'))).toBe(join(repo, 'out', 'renderer'));
  });

  it('is null when no out/renderer is above the module, even with a renderer folder elsewhere', () => {
    // The fixture's base holds renderer/index.html, but not as out/renderer.
    const lonely = join(fx.base, 'lonely', 'out', 'main');
    mkdirSync(lonely, { recursive: true });
    expect(builtRendererDir(join(lonely, 'cli.js'))).toBeNull();
  });
});
