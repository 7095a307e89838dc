// The secretariat starts a document, fills its draft, releases versions; a member reads the
// released text and the words that changed between versions. Runs with and without JavaScript.
import { expect, test, type Page } from '@playwright/test';

const PASSWORD = 'mutirao-demo';

async function logIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/$/);
}

test('the secretariat drafts and releases; a member reads and compares', async ({ page, browser }, testInfo) => {
  const title = `Carta de Pelotas ${testInfo.project.name} ${Date.now()}`;
  await logIn(page, 'secretariat@example.org');
  await page.goto('/recommendations');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Summary (optional)').fill('What the network asks of governments.');
  await page.getByRole('button', { name: 'Create document' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('status')).toContainText('Document created');
  await expect(page.getByRole('heading', { name: /Technical assistance and rural extension/ })).toBeVisible();
  const slug = new URL(page.url()).pathname.split('/').pop()!;

  // Fill the draft through the API with the session of the page (the editor is to come).
  const api = `/api/v1/documents/${slug}`;
  const doc = await (await page.request.get(api)).json();
  const save = (text: string, base: number) => page.request.put(`${api}/draft`, {
    data: {
      base_version: base,
      themes: doc.themes.map((t: { id: string, title: string }, i: number) => ({
        id: t.id, title: t.title,
        paragraphs: i === 0 ? [{ id: undefined, text }] : [],
      })),
    },
  });
  expect((await save('Train **extension agents** in organic conversion [by 2030].', 1)).status()).toBe(200);

  await page.reload();
  await page.getByLabel('Label').fill('Zero draft');
  await page.getByRole('button', { name: 'Release version' }).click();
  await expect(page.getByRole('status')).toContainText('Released version 1 (Zero draft)');
  await expect(page.locator('.bracket')).toHaveText('[by 2030]');

  // Rev.1 rewords the paragraph (same paragraph, by id).
  const head = await (await page.request.get(api)).json();
  const p = head.themes[0].paragraphs[0];
  const r = await page.request.put(`${api}/draft`, {
    data: { base_version: head.version, themes: head.themes.map((t: { id: string, title: string, paragraphs: { id: string, text: string }[] }) => ({ id: t.id, title: t.title, paragraphs: t.paragraphs.map((x) => ({ id: x.id, text: x.id === p.id ? 'Train extension agents in agroecology [by 2030].' : x.text })) })) },
  });
  expect(r.status()).toBe(200);
  await page.goto(`/recommendations/${slug}`);
  await page.getByLabel('Label').fill('Rev.1');
  await page.getByRole('button', { name: 'Release version' }).click();
  await expect(page.getByRole('status')).toContainText('Released version 2 (Rev.1)');

  // A member, in another browser context.
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const member = await context.newPage();
  await logIn(member, 'member@example.org');
  await member.goto('/recommendations');
  await member.getByRole('link', { name: title }).click();
  await expect(member.getByText('Version 2 — Rev.1')).toBeVisible();
  await expect(member.getByText('Train extension agents in agroecology')).toBeVisible();
  await expect(member.getByRole('button', { name: 'Release version' })).toHaveCount(0);
  await member.getByRole('link', { name: 'Compare versions' }).click();
  await expect(member.getByRole('heading', { level: 1 })).toHaveText('Changes from version 1 to version 2');
  await expect(member.locator('ins')).toContainText(['agroecology']);
  await expect(member.locator('.change-modified del', { hasText: 'organic' })).toHaveCount(1);
  await expect(member.locator('.change-modified .diff-text')).toContainText('organic conversion');
  await member.getByLabel('Show').selectOption('side');
  await member.getByRole('button', { name: 'Compare' }).click();
  await expect(member.getByText('Before', { exact: true })).toBeVisible();
  await context.close();
});
