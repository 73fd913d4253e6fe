/**
 * Sizes of the built client (client/dist): every JS and CSS file raw, gzip -9 and brotli, the
 * totals, and what a phone opening the join link downloads (index.html's entry script, its
 * modulepreloads and stylesheets; the moderator's tools and the report are lazy chunks).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { CLIENT_DIST } from '../support/browser.js';

/** Issue 7's budget: the JS a phone loads, gzipped, at most 120 KB (kB = 1000 bytes, the stricter reading). */
export const JS_GZIP_BUDGET = 120_000;

export interface Size {
  raw: number;
  gzip: number;
  brotli: number;
}

export interface BundleSizes {
  files: Record<string, Size>;
  totalJs: Size;
  totalCss: Size;
  /** JS a phone downloads to open the app. */
  phoneJs: Size;
  phoneCss: Size;
  phoneJsWithinBudget: boolean;
}

function sizeOf(file: string): Size {
  const bytes = fs.readFileSync(file);
  return {
    raw: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(bytes).length,
  };
}

function sum(sizes: Size[]): Size {
  return sizes.reduce(
    (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }),
    {
      raw: 0,
      gzip: 0,
      brotli: 0,
    },
  );
}

/** Asset paths index.html makes the browser fetch at once. */
function entryAssets(): string[] {
  const html = fs.readFileSync(path.join(CLIENT_DIST, 'index.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((match) => match[1] ?? '');
}

export function bundleSizes(): BundleSizes {
  const assets = path.join(CLIENT_DIST, 'assets');
  const files: Record<string, Size> = {};
  for (const file of fs
    .readdirSync(assets)
    .filter((name) => /\.(js|css)$/.test(name))
    .sort()) {
    files[`assets/${file}`] = sizeOf(path.join(assets, file));
  }
  const pick = (names: string[], ext: string) =>
    sum(
      names
        .filter((name) => name.endsWith(ext))
        .map((name) => files[name] ?? sizeOf(path.join(CLIENT_DIST, name))),
    );
  const all = Object.keys(files);
  const entry = entryAssets();
  const phoneJs = pick(entry, '.js');
  return {
    files,
    totalJs: pick(all, '.js'),
    totalCss: pick(all, '.css'),
    phoneJs,
    phoneCss: pick(entry, '.css'),
    phoneJsWithinBudget: phoneJs.gzip <= JS_GZIP_BUDGET,
  };
}
