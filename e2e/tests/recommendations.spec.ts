// The secretariat starts a document, fills its draft, releases versions; a member reads the
// released text and the words that changed between versions. Runs with and without JavaScript.
import { expect, test } from '@playwright/test';
import { logIn, open } from './helpers';

test('the secretariat drafts and releases; a member reads and compares', async ({ page, browser }, testInfo) => {
  const title = `Carta de Pelotas ${testInfo.project.name} ${Date.now()}`;
  await logIn(page, 'secretariat@example.org');
  await open(page, '/recommendations');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Summary (optional)').fill('What the network asks of governments.');
  await page.getByRole('button', { name: 'Create document' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('status')).toContainText('Document created');
  await expect(page.getByRole('heading', { name: /Technical assistance and rural extension/ })).toBeVisible();
  const slug = new URL(page.url()).pathname.split('/').pop()!;

  // Fill the draft in the editor.
  await page.getByRole('link', { name: 'Edit the draft' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit the working draft');
  await page.getByLabel('New paragraph under theme 1').fill('Train **extension agents** in organic conversion [by 2030].');
  await page.getByRole('button', { name: 'Add to theme 1' }).click();
  await expect(page.getByRole('status')).toContainText('Paragraph added.');
  await expect(page.getByLabel('Paragraph 1.1')).toHaveValue('Train **extension agents** in organic conversion [by 2030].');
  await page.getByLabel('New paragraph under theme 1').fill('Fund participatory guarantee systems.');
  await page.getByRole('button', { name: 'Add to theme 1' }).click();
  await expect(page.getByLabel('Paragraph 1.2')).toHaveValue('Fund participatory guarantee systems.');

  await page.getByRole('link', { name: title }).click();
  await page.getByLabel('Label').fill('Zero draft');
  await page.getByRole('button', { name: 'Release version' }).click();
  await expect(page.getByRole('status')).toContainText('Released version 1 (Zero draft)');
  await expect(page.getByText('[by 2030]', { exact: true })).toBeVisible();

  // Rev.1 rewords the first paragraph and moves the second above it.
  await page.getByRole('link', { name: 'Edit the draft' }).click();
  await page.getByLabel('Paragraph 1.1').fill('Train extension agents in agroecology [by 2030].');
  await page.getByRole('button', { name: 'Save paragraph 1.1' }).click();
  await expect(page.getByRole('status')).toContainText('Paragraph saved.');
  await page.getByRole('button', { name: 'Move 1.2 up' }).click();
  await expect(page.getByRole('status')).toContainText('Paragraph moved up.');
  await expect(page.getByLabel('Paragraph 1.1')).toHaveValue('Fund participatory guarantee systems.');
  await expect(page.getByLabel('Paragraph 1.2')).toHaveValue('Train extension agents in agroecology [by 2030].');

  // A change made on a page that is out of date is refused, and the typed text is kept.
  const api = `/api/v1/documents/${slug}`;
  const head = await (await page.request.get(api)).json();
  // Someone else rewords 1.1 meanwhile (a change elsewhere would not conflict).
  const changed = head.themes.map((t: { id: string, title: string, paragraphs: { id: string, text: string }[] }, i: number) => ({
    id: t.id, title: t.title,
    paragraphs: t.paragraphs.map((x, j) => ({ id: x.id, text: i === 0 && j === 0 ? 'Fund participatory guarantee systems (OPACs).' : x.text })),
  }));
  expect((await page.request.put(`${api}/draft`, { data: { base_version: head.version, themes: changed } })).status()).toBe(200);
  // With or without JavaScript, the typed text comes back beside the text that is there now,
  // and saving it again is a deliberate choice that works.
  await page.getByLabel('Paragraph 1.1').fill('Fund participatory guarantee systems and OPACs.');
  await page.getByRole('button', { name: 'Save paragraph 1.1' }).click();
  await expect(page.getByRole('alert')).toContainText('Someone saved this draft since you opened it');
  await expect(page.getByRole('region', { name: 'Your text was not saved' }).getByRole('blockquote')).toHaveText('Fund participatory guarantee systems (OPACs).');
  await expect(page.getByLabel('Paragraph 1.1')).toHaveValue('Fund participatory guarantee systems and OPACs.');
  await page.getByRole('button', { name: 'Save paragraph 1.1' }).click();
  await expect(page.getByRole('status')).toContainText('Paragraph saved.');
  await expect(page.getByRole('region', { name: 'Your text was not saved' })).toHaveCount(0);
  await expect(page.getByLabel('Paragraph 1.1')).toHaveValue('Fund participatory guarantee systems and OPACs.');
  // Shown once: a fresh load of the editor has no kept text.
  await open(page, `/recommendations/${slug}/edit`);
  await expect(page.getByRole('region', { name: 'Your text was not saved' })).toHaveCount(0);

  await open(page, `/recommendations/${slug}`);
  await page.getByLabel('Label').fill('Rev.1');
  await page.getByRole('button', { name: 'Release version' }).click();
  await expect(page.getByRole('status')).toContainText('Released version 2 (Rev.1)');

  // A member, in another browser context.
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const member = await context.newPage();
  await logIn(member, 'member@example.org');
  await open(member, '/recommendations');
  await member.getByRole('link', { name: title }).click();
  await expect(member.getByText('Version 2 — Rev.1')).toBeVisible();
  await expect(member.getByText('Train extension agents in agroecology')).toBeVisible();
  await expect(member.getByRole('button', { name: 'Release version' })).toHaveCount(0);
  await member.getByRole('link', { name: 'Compare versions' }).click();
  await expect(member.getByRole('heading', { level: 1 })).toHaveText('Changes from version 1 to version 2');
  await expect(member.getByRole('insertion')).toContainText(['agroecology']);
  const modified = member.getByRole('article', { name: /Modified/ });
  await expect(modified.getByRole('deletion').filter({ hasText: 'organic' })).toHaveCount(1);
  await expect(modified.filter({ hasText: 'organic conversion' })).toHaveCount(1);
  await member.getByLabel('Show').selectOption('side');
  await member.getByRole('button', { name: 'Compare' }).click();
  await expect(member.getByText('Before', { exact: true }).first()).toBeVisible();
  await context.close();
});

test('anyone reads the network\'s earlier charter, published with its amendment trail', async ({ page }) => {
  await open(page, '/r/carta-de-chapeco-2025');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Carta de Chapecó 2025: seeds and inputs for organic conversion');
  await expect(page.getByText('organic and Creole seed production')).toBeVisible();
  await expect(page.getByRole('group', { name: /^Amendment trail of / }).first()).toContainText('Cooperativa Agroecológica Terra Viva');
});
