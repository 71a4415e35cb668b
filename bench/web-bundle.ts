// Part 4b — the JavaScript a browser downloads for the first page: the web app is built with Vite into
// a scratch directory (dist/ is left alone), the entry script and every chunk it preloads are read from
// the built index.html, and their bytes are gzipped (level 9, as a precompressing build or proxy would).
// Chunks loaded later through dynamic import() are not part of the first page and are listed apart.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { judge, type Target } from './targets.ts';

export interface BundleFigures {
  firstPage: Array<{ file: string; bytes: number; gzipBytes: number }>;
  firstPageKb: number;
  firstPageGzipKb: number;
  otherJsGzipKb: number;
  cssGzipKb: number;
  target: Target;
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

export function measureWebBundle(): BundleFigures {
  const out = mkdtempSync(join(tmpdir(), 'parley-bench-web-'));
  try {
    const root = new URL('..', import.meta.url).pathname;
    execFileSync(
      join(root, 'node_modules/.bin/vite'),
      ['build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'inherit'],
        timeout: 120_000,
      },
    );
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const entries = [
      ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
      ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
    ].map((m) => m[1]!.replace(/^\//, ''));
    const size = (file: string) => {
      const bytes = readFileSync(join(out, file));
      return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
    };
    const firstPage = [...new Set(entries)].map(size);
    const assets = readdirSync(join(out, 'assets')).map((f) => `assets/${f}`);
    const other = assets.filter((f) => f.endsWith('.js') && !entries.includes(f)).map(size);
    const css = assets.filter((f) => f.endsWith('.css')).map(size);
    const gz = firstPage.reduce((s, f) => s + f.gzipBytes, 0);
    return {
      firstPage,
      firstPageKb: kb(firstPage.reduce((s, f) => s + f.bytes, 0)),
      firstPageGzipKb: kb(gz),
      otherJsGzipKb: kb(other.reduce((s, f) => s + f.gzipBytes, 0)),
      cssGzipKb: kb(css.reduce((s, f) => s + f.gzipBytes, 0)),
      target: judge('first-page JavaScript < 120 kB gzipped', `${kb(gz)} kB`, gz < 120 * 1024),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
