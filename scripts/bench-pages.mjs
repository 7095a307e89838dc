// Load run for the page-render targets of issue 3: logs in to a running Mutirão that holds the
// benchmark data set (`mutirao admin generate-benchmark-data`), requests each page many times
// one after another, and prints the median and 95th percentile of the server's response time
// (time to the full HTML); then measures, in Debian's Chromium, how long the document page
// takes to become interactive (hydrated).
// Usage: node scripts/bench-pages.mjs http://127.0.0.1:3199 [requests]
import { createRequire } from 'node:module';

const base = process.argv[2] ?? 'http://127.0.0.1:3199';
const runs = Number(process.argv[3] ?? 100);
const slug = 'benchmark-2026';
const password = 'mutirao-demo';

async function session(email) {
  const r = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${await r.text()}`);
  return r.headers.get('set-cookie').split(';')[0];
}

async function time(url, cookie) {
  const t0 = performance.now();
  const r = await fetch(url, { headers: { cookie, accept: 'text/html' } });
  const body = await r.text();
  const ms = performance.now() - t0;
  if (r.status !== 200) throw new Error(`${url}: ${r.status} ${body.slice(0, 300)}`);
  return { ms, bytes: body.length };
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

const member = await session('bench-member-0@example.org');
const secretariat = await session('bench-secretariat@example.org');
const doc = await (await fetch(`${base}/api/v1/documents/${slug}`, { headers: { cookie: member } })).json();
const pid = doc.themes[0].paragraphs[0].id;
const pages = [
  ['document page (member: version 30)', `/recommendations/${slug}`, member],
  ['document page (secretariat: working draft)', `/recommendations/${slug}`, secretariat],
  ['diff page (version 29 → 30, inline)', `/recommendations/${slug}/compare?from=29&to=30`, member],
  ['diff page (version 1 → 30, side by side)', `/recommendations/${slug}/compare?from=1&to=30&view=side`, member],
  ['compilation page (theme 1, part 1: the default)', `/recommendations/${slug}/compilation`, member],
  ['compilation page (theme 3)', `/recommendations/${slug}/compilation?theme=3`, member],
  ['compilation as Markdown (all themes)', `/api/v1/documents/${slug}/compilation?format=md`, member],
  ['paragraph page (amendments and comments of 1.1)', `/recommendations/${slug}/p/${pid}`, secretariat],
];
console.log(`| page | median | p95 | HTML size |\n| --- | --- | --- | --- |`);
for (const [name, path, cookie] of pages) {
  for (let i = 0; i < 5; i++) await time(base + path, cookie);
  const xs = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) { const r = await time(base + path, cookie); xs.push(r.ms); bytes = r.bytes; }
  console.log(`| ${name} | ${pct(xs, 0.5).toFixed(1)} ms | ${pct(xs, 0.95).toFixed(1)} ms | ${(bytes / 1024).toFixed(0)} KB |`);
}

// Interactive in the browser: navigation start to the page marked hydrated, five times.
const require = createRequire(new URL('../e2e/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const context = await browser.newContext();
await context.addCookies([{ name: member.split('=')[0], value: member.split('=')[1], url: base }]);
const page = await context.newPage();
const xs = [];
for (let i = 0; i < 6; i++) {
  const t0 = performance.now();
  await page.goto(`${base}/recommendations/${slug}`);
  await page.waitForSelector('html[data-hydrated]', { timeout: 30_000 });
  if (i > 0) xs.push(performance.now() - t0); // the first load fills the cache, like a returning reader
}
await browser.close();
console.log(`\nDocument page interactive (navigation to hydrated, warm cache): median ${pct(xs, 0.5).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`);
