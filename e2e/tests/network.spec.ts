// The network: the directory's filters, a member editing their own cooperative (and not
// another's), relations added from a profile, the gap reports, and the map (drawn with sigma.js
// when JavaScript is on; the path between two actors is written out either way).
import { expect, test } from '@playwright/test';
import { logIn, open } from './helpers';

const MEMBER_COOP = 'Cooperativa Agroecológica Terra Viva';

test('the directory filters by kind and state and links to profiles', async ({ page }) => {
  await logIn(page, 'member@example.org');
  await open(page, '/network');
  await page.getByLabel('Kind').selectOption('retailer');
  await page.getByLabel('State').fill('RS');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/kind=retailer/);
  const rows = page.locator('table.data-table tbody tr');
  await expect(rows.first()).toBeVisible();
  for (const kind of await rows.locator('td:nth-child(2)').allTextContents()) {
    expect(kind).toBe('Retailer');
  }
  await rows.first().getByRole('link').click();
  await expect(page).toHaveURL(/\/network\/actors\//);
  await expect(page.getByRole('heading', { name: 'Relations', exact: false })).toBeVisible();
});

test('a member edits their own cooperative and is refused on another', async ({ page }) => {
  await logIn(page, 'member@example.org');
  await open(page, '/network?q=terra%20viva');
  await page.getByRole('link', { name: MEMBER_COOP }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(MEMBER_COOP);
  const form = page.locator('#profile-form');
  await form.getByLabel('Members').fill('not a number');
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('“not a number” is not a whole number of members.').first()).toBeVisible();
  await expect(form.getByLabel('Members')).toHaveValue('not a number');

  // A number of its own per project, so that each run changes the profile.
  const members = test.info().project.name === 'no-js' ? '322' : '321';
  await form.getByLabel('Members').fill(members);
  await form.getByLabel('Products').fill('uva, suco de uva, vinho');
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'is saved' })).toBeVisible();
  await expect(page.locator('.facts')).toContainText('uva, suco de uva, vinho');
  await expect(page.locator('.history li').first()).toContainText('members');

  // Another organisation's profile offers no edit form, and the API refuses the change.
  await open(page, '/network?q=colheita%20fresca');
  await page.getByRole('link', { name: 'Supermercados Colheita Fresca' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Supermercados Colheita Fresca');
  await expect(page.getByRole('heading', { name: 'Edit profile' })).toHaveCount(0);
  const id = page.url().split('/').pop();
  const refused = await page.request.patch(`/api/v1/actors/${id}`, { data: { members: 1 } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.message).toContain('do not belong to');
});

test('an organiser relates two organisations from a profile', async ({ page }) => {
  await logIn(page, 'organizer@example.org');
  await open(page, '/network?q=terra%20viva');
  await page.getByRole('link', { name: MEMBER_COOP }).click();
  await page.getByText('Add a relation').click();
  const form = page.locator('#relation-form');
  await form.getByLabel('Relation').selectOption('partners_with');
  await form.getByLabel('Other organisation (its name)').fill('Nobody At All');
  await form.getByRole('button', { name: 'Add relation' }).click();
  await expect(page.getByText('There is no organisation named “Nobody At All” in the network.').first()).toBeVisible();
  if (!(await form.isVisible())) await page.getByText('Add a relation').click();
  await form.getByLabel('Other organisation (its name)').fill('emporio raizes organicas');
  await form.getByLabel('Since').fill('2024-05');
  await form.getByRole('button', { name: 'Add relation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Relation added' })).toBeVisible();
  const row = page.locator('#relations tr', { hasText: 'partners with' }).filter({ hasText: 'since 2024-05' });
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Relation removed' })).toBeVisible();
  await expect(page.locator('#relations tr').filter({ hasText: 'since 2024-05' })).toHaveCount(0);
});

test('the gap reports list organisations that lack something, each linked', async ({ page }) => {
  await logIn(page, 'organizer@example.org');
  await open(page, '/network/reports');
  await expect(page.getByRole('heading', { name: /Cooperatives in conversion with no certification body or OPAC \(\d+\)/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Brokers' })).toBeVisible();
  const first = page.locator('#gap-producers_without_buyer li a').first();
  const name = await first.textContent();
  await first.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name ?? '');
});

test('the map draws the network, filters by kind, and opens a profile from a node', async ({ page }) => {
  await logIn(page, 'organizer@example.org');
  await open(page, '/network/map?from=Cooperativa%20Agroecol%C3%B3gica%20Terra%20Viva&to=Supermercados%20Colheita%20Fresca');
  await expect(page.getByRole('heading', { name: /^Path: \d+ relations?$/ })).toBeVisible();
  await expect(page.locator('ol.path li').first()).toContainText(MEMBER_COOP);
  if (test.info().project.use.javaScriptEnabled === false) {
    return;
  }
  const map = page.locator('[data-network-map]');
  await expect(map).toHaveAttribute('data-state', /layout|ready/, { timeout: 20_000 });
  await expect(map.locator('canvas').first()).toBeVisible();

  await open(page, '/network/map');
  await page.getByLabel('Cooperative').check();
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/kind=cooperative/);
  await expect(map).toHaveAttribute('data-state', /layout|ready/, { timeout: 20_000 });
  const count = Number(await map.getAttribute('data-nodes'));
  const all = await (await page.request.get('/api/v1/network?kind=cooperative')).json();
  expect(count).toBe(all.nodes.length);

  // Click the member's cooperative where the map draws it.
  const coop = all.nodes.find((n: { name: string }) => n.name === MEMBER_COOP);
  await page.evaluate((el) => (window as any).MutiraoMap.stopLayout(el), await map.elementHandle());
  await map.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 200));
  const at = await page.evaluate(([el, id]) => (window as any).MutiraoMap.position(el, id), [await map.elementHandle(), coop.id] as const);
  expect(at).not.toBeNull();
  await page.mouse.move(at.x, at.y);
  await page.mouse.click(at.x, at.y);
  await expect(page).toHaveURL(new RegExp(`/network/actors/${coop.id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(MEMBER_COOP);
});

test('the matching page suggests buyers with reasons and records a proposed meeting', async ({ page }) => {
  await logIn(page, 'member@example.org');
  await open(page, '/network?q=terra%20viva');
  await page.getByRole('link', { name: MEMBER_COOP }).click();
  await page.getByRole('link', { name: 'Suggest buyers' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Buyers for ${MEMBER_COOP}`);
  const suggestion = page.locator('li.match').filter({ has: page.getByRole('button', { name: /Propose a meeting with/ }) }).first();
  await expect(suggestion.locator('ul li').first()).toBeVisible();
  const buyer = (await suggestion.locator('h2').textContent()) ?? '';
  await suggestion.getByRole('button', { name: /Propose a meeting with/ }).click();
  await expect(page.getByRole('status').filter({ hasText: `with ${buyer} is proposed` })).toBeVisible();
  const row = page.locator('#meetings tr', { hasText: buyer });
  await expect(row.first()).toContainText('Proposed');
  await expect(page.locator('li.match', { hasText: buyer }).getByText('Meeting proposed')).toBeVisible();
});

test('an organiser checks and imports a CSV file, then finds the new organisations on the map', async ({ page }) => {
  const stamp = `${test.info().project.name}-${Date.now() % 100000}`;
  const csv = [
    'Nome;Tipo;UF;Município;Produtos',
    `Cooperativa Importada ${stamp};Cooperativa;RS;Pelotas;arroz | feijão`,
    `Mercado Importado ${stamp};retailer;RS;Pelotas;arroz`,
    `;cooperative;RS;;`,
    `Banco Importado ${stamp};bank;RS;;`,
  ].join('\n');
  const file = { name: 'organisations.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'latin1') };
  await logIn(page, 'organizer@example.org');
  await open(page, '/network');
  await page.getByRole('link', { name: 'Import from a CSV file' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import organisations and relations');

  await page.getByLabel('Organisations: CSV file').setInputFiles(file);
  await page.locator('form', { has: page.getByLabel('Organisations: CSV file') }).getByRole('button', { name: 'Check the file' }).click();
  const report = page.locator('#report');
  await expect(report.getByRole('heading')).toHaveText('Check from “organisations.csv”: 2 organisations can be imported');
  await expect(report.locator('tbody tr')).toHaveCount(2);
  await expect(report.locator('tbody tr').first()).toContainText('4');
  await expect(report.locator('tbody tr').last()).toContainText('“bank” is not a kind of actor');

  await page.getByLabel('Organisations: CSV file').setInputFiles(file);
  await page.locator('form', { has: page.getByLabel('Organisations: CSV file') }).getByRole('button', { name: 'Import' }).click();
  await expect(report.getByRole('heading')).toHaveText('Imported 2 organisations from “organisations.csv”');

  const relations = `from;to;kind\nCooperativa Importada ${stamp};Mercado Importado ${stamp};supplies\n`;
  await page.getByLabel('Relations: CSV file').setInputFiles({ name: 'relations.csv', mimeType: 'text/csv', buffer: Buffer.from(relations) });
  await page.locator('form', { has: page.getByLabel('Relations: CSV file') }).getByRole('button', { name: 'Import' }).click();
  await expect(report.getByRole('heading')).toHaveText('Imported 1 relation from “relations.csv”');

  await open(page, `/network/map?focus=${encodeURIComponent(`Cooperativa Importada ${stamp}`)}`);
  const map = page.locator('[data-network-map]');
  await expect(map).toHaveAttribute('data-src', /\/neighbors\?depth=1$/);
  if (test.info().project.use.javaScriptEnabled !== false) {
    await expect(map).toHaveAttribute('data-nodes', '2', { timeout: 20_000 });
  }
});
