// Runs in the projects with JavaScript (see playwright.config.ts): it needs the WASM bundle,
// debug or release.
import { expect, test } from '@playwright/test';

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
