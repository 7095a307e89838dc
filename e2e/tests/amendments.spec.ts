// A member proposes an amendment (seeing its word diff), another organisation supports it, the
// secretariat accepts it into the working draft; a second amendment to the same paragraph is
// then stale and is resolved from the three texts. Runs with and without JavaScript.
import { expect, test, type Browser, type TestInfo } from '@playwright/test';
import { logIn, open, PASSWORD, ready } from './helpers';

async function newPage(browser: Browser, testInfo: TestInfo, email: string, password = PASSWORD) {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const page = await context.newPage();
  await logIn(page, email, password);
  return page;
}

test('members amend, support; the secretariat accepts and resolves a stale amendment', async ({ page, browser }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const slug = `amend-${stamp}`.toLowerCase();

  // The secretariat sets up a released document open for comments (through the API).
  await logIn(page, 'secretariat@example.org');
  let r = await page.request.post('/api/v1/documents', {
    data: { title: `Carta ${stamp}`, slug, themes: [{ title: 'Markets', paragraphs: [{ text: 'Buy food from smallholders for school meals.' }] }] },
  });
  expect(r.status()).toBe(201);
  expect((await page.request.post(`/api/v1/documents/${slug}/versions`, { data: { label: 'Zero draft' } })).status()).toBe(201);
  expect((await page.request.patch(`/api/v1/documents/${slug}`, { data: { status: 'open_for_comments' } })).status()).toBe(200);

  // A second organisation's member, created by the admin.
  const admin = await newPage(browser, testInfo, 'admin@example.org');
  const actor = await (await admin.request.post('/api/v1/actors', { data: { name: `Empório ${stamp}`, kind: 'retailer' } })).json();
  const email = `shop-${stamp}@example.org`.toLowerCase();
  r = await admin.request.post('/api/v1/users', {
    data: { email, name: 'Sofia Lojista', roles: ['member'], password: 'a-long-password-1', actor_ids: [actor.id] },
  });
  expect(r.status()).toBe(201);
  await admin.context().close();

  // The member proposes a replacement and sees what changes.
  const member = await newPage(browser, testInfo, 'member@example.org');
  await open(member, `/recommendations/${slug}`);
  await member.getByRole('link', { name: 'Amend paragraph 1.1' }).click();
  await expect(member.getByRole('heading', { level: 1 })).toHaveText('Paragraph 1.1');
  await member.getByLabel('Proposed text').fill('Buy organic food from smallholders for school meals.');
  if (js) {
    await expect(member.getByRole('region', { name: 'What changes' }).getByRole('insertion')).toHaveText('organic ');
  }
  // A refused proposal keeps what was typed (without JavaScript the page loads again).
  await member.getByLabel('Rationale').fill('   ');
  await member.getByRole('button', { name: 'Propose amendment' }).click();
  await expect(member.getByLabel('Rationale')).toHaveAccessibleDescription('A rationale is required.');
  await expect(member.getByLabel('Proposed text')).toHaveValue('Buy organic food from smallholders for school meals.');
  await member.getByLabel('Rationale').fill('The programme is about organic food.');
  await member.getByRole('button', { name: 'Propose amendment' }).click();
  await expect(member.getByRole('status')).toContainText('Amendment A-1 proposed on behalf of');
  await expect(member.getByRole('heading', { name: /^Amendments \(/ })).toHaveText('Amendments (1 proposed, 1 in all)');
  await expect(member.getByRole('article', { name: /^A-1 / }).getByRole('insertion')).toHaveText('organic ');
  await expect(member.getByRole('button', { name: 'Withdraw A-1' })).toBeVisible();

  // Another organisation supports it.
  const shop = await newPage(browser, testInfo, email, 'a-long-password-1');
  await open(shop, `/recommendations/${slug}`);
  await shop.getByRole('link', { name: /1 amendment to 1\.1/ }).click();
  await expect(shop.getByRole('button', { name: 'Withdraw A-1' })).toHaveCount(0);
  await shop.getByRole('button', { name: `Support on behalf of Empório ${stamp}` }).click();
  await expect(shop.getByRole('status')).toContainText('Your stance on A-1 is recorded');
  await expect(shop.getByRole('article', { name: /^A-1 / })).toContainText(`Supported by Empório ${stamp}`);

  // The secretariat accepts it: the working draft changes.
  await open(page, `/recommendations/${slug}`);
  await page.getByRole('link', { name: /1 amendment to 1\.1 \(1 proposed\)/ }).click();
  await page.getByRole('button', { name: 'Accept A-1', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('A-1: accepted.');
  await expect(page.getByRole('article', { name: 'Paragraph 1.1' })).toContainText('Buy organic food from smallholders');

  // The member, still reading version 1, proposes another wording: stale for the secretariat.
  await open(member, `/recommendations/${slug}/p/${new URL(page.url()).pathname.split('/').pop()}`);
  await member.getByLabel('Proposed text').fill('Buy food from local smallholders for school meals.');
  await member.getByLabel('Rationale').fill('Local purchase.');
  await member.getByRole('button', { name: 'Propose amendment' }).click();
  await expect(member.getByRole('status')).toContainText('Amendment A-2 proposed');

  await page.reload();
  await ready(page);
  const a2 = page.getByRole('article', { name: /^A-2 / });
  await expect(a2.getByText('Paragraph changed since')).toBeVisible();
  await expect(a2.getByRole('button', { name: 'Accept A-2', exact: true })).toHaveCount(0);
  await expect(a2.getByText('The working draft now')).toBeVisible();
  await a2.getByLabel('Resolved text').fill('Buy organic food from local smallholders for school meals.');
  await a2.getByRole('button', { name: 'Accept A-2 with changes' }).click();
  await expect(page.getByRole('status')).toContainText('A-2: accepted with changes.');
  await expect(page.getByRole('article', { name: 'Paragraph 1.1' })).toContainText('Buy organic food from local smallholders');

  // Both show in the member's view of the record.
  await member.reload();
  await ready(member);
  await expect(member.getByRole('article', { name: /^A-1 / }).getByText('Accepted', { exact: true })).toBeVisible();
  await expect(member.getByRole('article', { name: /^A-2 / })).toContainText('Accepted with changes');
  for (const p of [member, shop]) await p.context().close();
});

test('members comment; the secretariat moderates and publishes; anyone reads the published text', async ({ page, browser }, testInfo) => {
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const slug = `pub-${stamp}`.toLowerCase();
  await logIn(page, 'secretariat@example.org');
  expect((await page.request.post('/api/v1/documents', {
    data: { title: `Carta final ${stamp}`, slug, themes: [{ title: 'Markets', paragraphs: [{ text: 'Fund fairs.' }, { text: 'Train agents.' }] }] },
  })).status()).toBe(201);
  expect((await page.request.post(`/api/v1/documents/${slug}/versions`, { data: { label: 'Zero draft' } })).status()).toBe(201);
  expect((await page.request.patch(`/api/v1/documents/${slug}`, { data: { status: 'open_for_comments' } })).status()).toBe(200);
  const doc = await (await page.request.get(`/api/v1/documents/${slug}`)).json();
  const pid = doc.themes[0].paragraphs[0].id;

  // The member comments on 1.1 and answers in the thread; proposes an amendment (API).
  const member = await newPage(browser, testInfo, 'member@example.org');
  await open(member, `/recommendations/${slug}/p/${pid}`);
  // A refused comment keeps what was chosen and typed (without JavaScript the page loads again).
  await member.getByLabel('Stance').last().selectOption('against');
  await member.getByLabel('Your comment (Markdown)').last().fill('   ');
  await member.getByRole('button', { name: 'Add comment' }).last().click();
  await expect(member.getByText('Write something first.')).toBeVisible();
  await expect(member.getByLabel('Stance').last()).toHaveValue('against');
  await member.getByLabel('Your comment (Markdown)').last().fill('Fairs need **transport** first.');
  await member.getByRole('button', { name: 'Add comment' }).last().click();
  await expect(member.getByRole('status')).toContainText('Comment added.');
  const comment = member.getByRole('listitem').filter({ hasText: 'Fairs need transport first.' });
  await expect(comment.getByText('transport', { exact: true })).toBeVisible();
  // The stance's badge (the reply form's stance choice comes after it).
  await expect(comment.getByText('Against', { exact: true }).first()).toBeVisible();
  const me = await (await member.request.get('/api/v1/me')).json();
  const proposal = await member.request.post(`/api/v1/documents/${slug}/amendments`, {
    data: { paragraph_id: pid, kind: 'replace', text: 'Fund organic fairs.', rationale: 'Focus.', actor_id: me.actors[0].id },
  });
  expect(proposal.status()).toBe(201);
  const amendment = await proposal.json();

  // The secretariat hides the comment with a reason, accepts the amendment, releases, publishes.
  await open(page, `/recommendations/${slug}/p/${pid}`);
  const hidden = page.getByRole('listitem').filter({ hasText: 'Fairs need transport first.' });
  await hidden.getByText('Hide', { exact: true }).click();
  await hidden.getByLabel('Reason (kept in the record)').fill('Moved to the logistics thread.');
  await hidden.getByRole('button', { name: 'Hide comment' }).click();
  await expect(page.getByRole('status')).toContainText('Comment hidden');
  await expect(page.getByText(/^Hidden by .*: Moved to the logistics thread\.$/)).toBeVisible();
  expect((await page.request.post(`/api/v1/amendments/${amendment.id}/decision`, { data: { decision: 'accept' } })).status()).toBe(200);
  expect((await page.request.post(`/api/v1/documents/${slug}/versions`, { data: { label: 'Final' } })).status()).toBe(201);
  await member.reload();
  await ready(member);
  await expect(member.getByText(/^Hidden by .*: Moved to the logistics thread\.$/)).toBeVisible();
  await expect(member.getByText('Fairs need transport first.')).toHaveCount(0);

  await open(page, `/recommendations/${slug}`);
  await page.getByLabel('Document status').selectOption('final');
  await page.getByRole('button', { name: 'Change status' }).click();
  await expect(page.getByRole('status')).toContainText('The document is now “Final”');
  await page.getByRole('button', { name: 'Publish version 2' }).click();
  await expect(page.getByRole('status')).toContainText(`Published version 2 (Final) at /r/${slug}`);

  // Anyone, without logging in.
  const anonymous = await browser.newContext({ baseURL: testInfo.project.use.baseURL, javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const reader = await anonymous.newPage();
  await open(reader, `/r/${slug}`);
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText(`Carta final ${stamp}`);
  await expect(reader.getByText('Final (version 2), published by')).toBeVisible();
  await expect(reader.getByText('Fund organic fairs.', { exact: true })).toBeVisible();
  await expect(reader.getByRole('group', { name: 'Amendment trail of 1.1' })).toContainText('A-1 (replace the text) proposed by Cooperativa Agroecológica Terra Viva');
  const md = await reader.request.get(`/r/${slug}.md`);
  expect(md.status()).toBe(200);
  expect(await md.text()).toContain('**1.1** Fund organic fairs.');
  const json = await (await reader.request.get(`/r/${slug}.json`)).json();
  expect(json.version.label).toBe('Final');
  await reader.emulateMedia({ media: 'print' });
  await expect(reader.getByRole('navigation', { name: 'Other formats' })).toBeHidden();
  await anonymous.close();
  await member.context().close();
});
