// Starts the server built by `scripts/build.sh` on a free port with an in-memory database and
// the demo data, runs every journey with JavaScript on (hydrated) and off (server-rendered only),
// and stops the server. Uses Debian's Chromium: no browser is downloaded. The test command builds
// the site with the optimised (wasm-opt'd) bundle, so the hydrated journeys prove that bundle;
// MUTIRAO_SITE names another site root (a debug bundle from `scripts/build.sh`, say).
import { defineConfig } from '@playwright/test';
import { execSync } from 'node:child_process';
import path from 'node:path';

const freePort = () => execSync(
  `node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"`,
).toString().trim();
if (!process.env.MUTIRAO_E2E_PORT) {
  process.env.MUTIRAO_E2E_PORT = freePort();
}
const port = process.env.MUTIRAO_E2E_PORT;
const root = path.resolve(__dirname, '..');
const bin = process.env.MUTIRAO_BIN ?? path.join(root, 'target', 'debug', 'mutirao');
const baseURL = `http://127.0.0.1:${port}`;
const server = (p: string, siteRoot: string) => ({
  command: `"${bin}" --addr 127.0.0.1:${p} --db mem:// --demo`,
  cwd: root,
  url: `http://127.0.0.1:${p}/healthz`,
  env: { LEPTOS_SITE_ROOT: siteRoot, RUST_LOG: 'warn' },
  reuseExistingServer: false,
  timeout: 60_000,
  stdout: 'pipe' as const,
  stderr: 'pipe' as const,
});

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false }, testIgnore: /hydration/ },
  ],
  webServer: [server(port, path.resolve(root, process.env.MUTIRAO_SITE ?? path.join('target', 'site')))],
});
