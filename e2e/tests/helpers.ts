// Shared steps of the journeys.
import { expect, test, type Page } from '@playwright/test';

export const PASSWORD = 'mutirao-demo';

/** With JavaScript on, waits until the page has hydrated (forms then go through the app, not a
 *  full page load); without, returns at once. */
export async function ready(page: Page) {
  if (test.info().project.use.javaScriptEnabled !== false) {
    await expect(page.locator('html[data-hydrated]')).toHaveCount(1, { timeout: 20_000 });
  }
}

/** Goes to `url` and waits for the page to be ready. */
export async function open(page: Page, url: string) {
  await page.goto(url);
  await ready(page);
}

export async function logIn(page: Page, email: string, password = PASSWORD) {
  await open(page, '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await ready(page);
}
