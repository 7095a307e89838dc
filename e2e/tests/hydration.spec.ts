// Runs in the projects with JavaScript (see playwright.config.ts): it needs the WASM bundle,
// debug or release.
import { expect, test } from '@playwright/test';
import { logIn, ready } from './helpers';

test('the page is interactive once hydrated: show the password', async ({ page }) => {
  await page.goto('/login');
  const password = page.getByLabel('Password', { exact: true });
  await expect(password).toHaveAttribute('type', 'password');
  const toggle = page.getByRole('button', { name: 'Show password' });
  // Hydration attaches the handler; retry the click until the page responds.
  await expect(async () => {
    await toggle.click();
    await expect(password).toHaveAttribute('type', 'text', { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Hide password' })).toHaveAttribute('aria-pressed', 'true');
});

test('text typed before the page becomes interactive is kept by hydration', async ({ page }) => {
  await logIn(page, 'secretariat@example.org');
  // Hold the WASM bundle back until something has been typed into the server-rendered form.
  let release!: () => void;
  const typed = new Promise<void>((resolve) => { release = resolve; });
  await page.route('**/*.wasm', async (route) => {
    await typed;
    await route.continue();
  });
  await page.goto('/recommendations/recommendations-2026/edit');
  const field = page.getByLabel('Paragraph 1.1');
  await field.fill('Typed before hydration.');
  const label = page.getByLabel('New paragraph under theme 2');
  await label.fill('A new paragraph, typed early.');
  release();
  await ready(page);
  await expect(field).toHaveValue('Typed before hydration.');
  await expect(label).toHaveValue('A new paragraph, typed early.');
});

// The Content-Security-Policy lets through everything the pages need (the hydration script, the
// WASM, the map's drawing, the import's progress) and nothing is refused on the way.
test('no page breaks its Content-Security-Policy', async ({ page }) => {
  await page.addInitScript(() => {
    (window as unknown as { violations: string[] }).violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { violations: string[] }).violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await logIn(page, 'organizer@example.org');
  for (const url of ['/', '/network', '/network/map', '/network/import', '/recommendations/recommendations-2026']) {
    const response = await page.goto(url);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[\w-]+' 'wasm-unsafe-eval'/);
    await ready(page);
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations), url).toEqual([]);
  }
});
