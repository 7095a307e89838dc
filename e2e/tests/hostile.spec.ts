// Hostile text in the page's head: a name that closes `<title>` must stay text. Each test makes its
// own records through the API, opens the page, and fails if any dialog opens (the payload calls
// alert()). Without JavaScript no script could run anyway; the markup is checked there too.
import { expect, test, type Page } from '@playwright/test';
import { logIn, open } from './helpers';

const payload = (what: string) => `${what} </title><img src=x onerror=alert(5)> ${test.info().project.name}`;

function failOnDialog(page: Page) {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  return dialogs;
}

test('an organisation named to break out of the title runs no script on its profile', async ({ page }) => {
  const dialogs = failOnDialog(page);
  await logIn(page, 'organizer@example.org');
  const name = payload('Coop');
  const created = await page.request.post('/api/v1/actors', { data: { name, kind: 'cooperative' } });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id;
  await open(page, `/network/actors/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page).toHaveTitle(`${name} · Mutirão`);
  await expect(page.locator('head img, body img[src="x"]')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test('a published document titled to break out of the title runs no script on its public page', async ({ page }) => {
  const dialogs = failOnDialog(page);
  await logIn(page, 'secretariat@example.org');
  const title = payload('Charter');
  const slug = `hostile-${test.info().project.name}`;
  const doc = { title, slug, themes: [{ title: 'Markets', paragraphs: [{ text: 'Buy organic food for schools.' }] }] };
  expect((await page.request.post('/api/v1/documents', { data: doc })).status()).toBe(201);
  expect((await page.request.post(`/api/v1/documents/${slug}/versions`, { data: { label: 'Final' } })).status()).toBe(201);
  expect((await page.request.patch(`/api/v1/documents/${slug}`, { data: { status: 'final' } })).status()).toBe(200);
  expect((await page.request.post(`/api/v1/documents/${slug}/publish`, { data: {} })).status()).toBe(201);
  await page.context().clearCookies();
  await open(page, `/r/${slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  // The public page's title also names the version ("… — Final · Mutirão").
  expect(await page.title()).toContain(title);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

// Text that would close a raw-text element (a form's <textarea>, a <script> or <style>) stays
// text inside it: the profile's edit form shows the description as typed, and nothing runs.
test('a description that breaks out of a textarea, a script or a style runs no script in the edit form', async ({ page }) => {
  const dialogs = failOnDialog(page);
  await logIn(page, 'organizer@example.org');
  const description = [
    '</textarea><img src=x onerror=alert(6)>',
    '</script><script>alert(7)</script>',
    '</style><img src=x onerror=alert(8)>',
    '<script>alert(9)</script>',
  ].join(' ');
  const created = await page.request.post('/api/v1/actors', {
    data: { name: `Coop raw text ${test.info().project.name}`, kind: 'cooperative', description },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id;
  await open(page, `/network/actors/${id}`);
  const form = page.getByRole('region', { name: 'Edit profile' });
  await expect(form.getByLabel('Description (Markdown)')).toHaveValue(description);
  // Nothing escaped the textarea into the form (the description shown above is sanitised Markdown).
  await expect(form.locator('img, script, style')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});
