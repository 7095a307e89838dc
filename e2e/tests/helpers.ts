// Shared steps of the journeys.
import { expect, request, test, type APIRequestContext, type Page } from '@playwright/test';

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

/** The password of the users the journeys make for themselves. */
export const OWN_PASSWORD = 'a-long-password-1';

let admin: APIRequestContext | undefined;

/** The admin's API session, logged in once per worker (logins are rate-limited per email). */
async function adminApi(): Promise<APIRequestContext> {
  if (!admin) {
    admin = await request.newContext({ baseURL: test.info().project.use.baseURL });
    const r = await admin.post('/api/v1/session', { data: { email: 'admin@example.org', password: PASSWORD } });
    expect(r.status()).toBe(200);
  }
  return admin;
}

/** An organisation of the journey's own (made through the API, named with a unique suffix) and a
 *  member user of it, so that a journey changes its own data and not the demo's organisations. */
export async function ownOrganisation(actor: Record<string, unknown> & { name: string }) {
  const api = await adminApi();
  const stamp = `${test.info().project.name}-${Date.now()}`;
  const name = `${actor.name} ${stamp}`;
  const created = await api.post('/api/v1/actors', { data: { ...actor, name } });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();
  const email = `member-${stamp}@example.org`.toLowerCase();
  const user = await api.post('/api/v1/users', {
    data: { email, name: 'Ana Teste', roles: ['member'], password: OWN_PASSWORD, actor_ids: [id] },
  });
  expect(user.status()).toBe(201);
  return { id: id as string, name, email };
}
