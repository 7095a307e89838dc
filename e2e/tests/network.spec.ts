// The network: the directory's filters, a member editing their own cooperative (and not
// another's), relations added from a profile, the gap reports, and the map (drawn with sigma.js
// when JavaScript is on; the path between two actors is written out either way).
import { expect, test } from '@playwright/test';
import { logIn, open, OWN_PASSWORD, ownOrganisation } from './helpers';

const MEMBER_COOP = 'Cooperativa Agroecológica Terra Viva';

test('the directory filters by kind and state and links to profiles', async ({ page }) => {
  await logIn(page, 'member@example.org');
  await open(page, '/network');
  await page.getByLabel('Kind').selectOption('retailer');
  await page.getByLabel('State').fill('RS');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/kind=retailer/);
  const rows = page.getByRole('table', { name: 'Organisations' }).getByRole('row').filter({ has: page.getByRole('cell') });
  await expect(rows.first()).toBeVisible();
  for (const row of await rows.all()) {
    await expect(row.getByRole('cell').nth(1)).toHaveText('Retailer');
  }
  await rows.first().getByRole('link').click();
  await expect(page).toHaveURL(/\/network\/actors\//);
  await expect(page.getByRole('heading', { name: 'Relations', exact: false })).toBeVisible();
});

test('a member edits their own cooperative and is refused on another', async ({ page }) => {
  const own = await ownOrganisation({ name: 'Cooperativa Serra Verde', kind: 'cooperative', state: 'RS', municipality: 'Pelotas' });
  await logIn(page, own.email, OWN_PASSWORD);
  await open(page, '/network?q=serra%20verde');
  await page.getByRole('link', { name: own.name }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(own.name);
  const form = page.getByRole('form', { name: 'Edit profile' });
  await form.getByLabel('Members').fill('not a number');
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('“not a number” is not a whole number of members.').first()).toBeVisible();
  await expect(form.getByLabel('Members')).toHaveValue('not a number');

  await form.getByLabel('Members').fill('321');
  await form.getByLabel('Products').fill('uva, suco de uva, vinho');
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'is saved' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'About', exact: true })).toContainText('uva, suco de uva, vinho');
  await expect(page.getByRole('region', { name: 'History', exact: true }).getByRole('listitem').first()).toContainText('members');

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
  const own = await ownOrganisation({ name: 'Associação Campo Aberto', kind: 'producer_association', state: 'SC' });
  await logIn(page, 'organizer@example.org');
  await open(page, `/network/actors/${own.id}`);
  await page.getByText('Add a relation').click();
  const form = page.getByRole('form', { name: 'Add a relation' });
  await form.getByLabel('Relation').selectOption('partners_with');
  await form.getByLabel('Other organisation (its name)').fill('Nobody At All');
  await form.getByRole('button', { name: 'Add relation' }).click();
  await expect(page.getByText('There is no organisation named “Nobody At All” in the network.').first()).toBeVisible();
  if (!(await form.isVisible())) await page.getByText('Add a relation').click();
  await form.getByLabel('Other organisation (its name)').fill('emporio raizes organicas');
  await form.getByLabel('Since').fill('2024-05');
  await form.getByRole('button', { name: 'Add relation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Relation added' })).toBeVisible();
  const relations = page.getByRole('table', { name: 'Relations', exact: true }).getByRole('row');
  const row = relations.filter({ hasText: 'partners with' }).filter({ hasText: 'since 2024-05' });
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Relation removed' })).toBeVisible();
  await expect(relations.filter({ hasText: 'since 2024-05' })).toHaveCount(0);
});

test('the gap reports list organisations that lack something, each linked', async ({ page }) => {
  await logIn(page, 'organizer@example.org');
  await open(page, '/network/reports');
  await expect(page.getByRole('heading', { name: /Cooperatives in conversion with no certification body or OPAC \(\d+\)/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Brokers' })).toBeVisible();
  const first = page.getByRole('region', { name: /^Producer organisations with no buyer/ }).getByRole('link').first();
  const name = await first.textContent();
  await first.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name ?? '');
});

test('the map draws the network, filters by kind, and opens a profile from a node', async ({ page }) => {
  await logIn(page, 'organizer@example.org');
  await open(page, '/network/map?from=Cooperativa%20Agroecol%C3%B3gica%20Terra%20Viva&to=Supermercados%20Colheita%20Fresca');
  await expect(page.getByRole('heading', { name: /^Path: \d+ relations?$/ })).toBeVisible();
  await expect(page.getByRole('region', { name: /^Path:/ }).getByRole('listitem').first()).toContainText(MEMBER_COOP);
  if (test.info().project.use.javaScriptEnabled === false) {
    return;
  }
  const map = page.locator('[data-network-map]');
  await expect(map).toHaveAttribute('data-state', /layout|ready/, { timeout: 20_000 });
  await expect(map.locator('canvas').first()).toBeVisible();
  // Asked twice at once (the page's script, then the app once hydrated), the map is drawn once.
  await page.evaluate((el) => {
    (el as any).__mutiraoMapKey = null;
    (window as any).MutiraoMap.mount(el);
    (window as any).MutiraoMap.mount(el);
  }, await map.elementHandle());
  await expect(map).toHaveAttribute('data-state', /layout|ready/, { timeout: 20_000 });
  await page.waitForTimeout(500);
  await expect(map.locator('canvas.sigma-nodes')).toHaveCount(1);

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

test('a large map pans as a picture and is drawn again where it is released', async ({ page }) => {
  test.skip(test.info().project.use.javaScriptEnabled === false, 'the map needs JavaScript');
  await logIn(page, 'organizer@example.org');
  // 2,500 actors in a ring of relations (from 2,000 actors a map pans as a picture).
  const nodes = Array.from({ length: 2500 }, (_, i) => ({ id: `n${i}`, name: `Actor ${i}`, kind: i % 2 ? 'cooperative' : 'retailer' }));
  const edges = nodes.map((n, i) => ({ id: `e${i}`, from: n.id, to: nodes[(i + 1) % nodes.length].id, kind: 'supplies' }));
  await page.route(/\/api\/v1\/network(\?.*)?$/, (route) => route.fulfill({ json: { nodes, edges } }));
  await open(page, '/network/map');
  const map = page.locator('[data-network-map]');
  await expect(map).toHaveAttribute('data-nodes', '2500', { timeout: 20_000 });
  const el = await map.elementHandle();
  await page.evaluate((m) => (window as any).MutiraoMap.stopLayout(m), el);
  await map.scrollIntoViewIfNeeded();
  const box = (await map.boundingBox())!;
  // Read where n0 is drawn once the map has drawn its next frame: a moved camera is drawn (and
  // its matrix updated) on the next animation frame, not at once.
  const position = () => page.evaluate((m) => new Promise<{ x: number, y: number }>((done) =>
    requestAnimationFrame(() => requestAnimationFrame(() => done((window as any).MutiraoMap.position(m, 'n0'))))), el);
  const before = await position();
  // Press where no actor is drawn, and drag.
  const drawn = await page.evaluate((m) => Array.from({ length: 2500 }, (_, i) => (window as any).MutiraoMap.position(m, `n${i}`)), el);
  const empty = [];
  for (let gx = 0.1; gx < 0.9; gx += 0.05) {
    for (let gy = 0.1; gy < 0.9; gy += 0.05) {
      const p = { x: box.x + gx * box.width, y: box.y + gy * box.height };
      const gap = Math.min(...drawn.map((d: { x: number, y: number }) => Math.hypot(d.x - p.x, d.y - p.y)));
      if (gap > 25) empty.push({ ...p, gap });
    }
  }
  expect(empty.length).toBeGreaterThan(0);
  const { x, y } = empty.sort((a, b) => b.gap - a.gap)[0];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 60, y + 20, { steps: 3 });
  await page.mouse.move(x + 120, y + 40, { steps: 3 });
  // While moving, the layers are shifted, not drawn again.
  await expect(map.locator('canvas.sigma-nodes')).toHaveAttribute('style', /translate\(120px, 40px\)/);
  await page.mouse.up();
  await expect(map.locator('canvas.sigma-nodes')).not.toHaveAttribute('style', /translate/);
  const after = await position();
  expect(Math.abs(after.x - before.x - 120)).toBeLessThan(2);
  expect(Math.abs(after.y - before.y - 40)).toBeLessThan(2);
  await expect(page).toHaveURL(/\/network\/map$/);
});

test('the matching page suggests buyers with reasons and records a proposed meeting', async ({ page }) => {
  const own = await ownOrganisation({ name: 'Cooperativa Bons Frutos', kind: 'cooperative', state: 'RS', products: ['hortaliças', 'frutas', 'mel'] });
  await logIn(page, own.email, OWN_PASSWORD);
  await open(page, `/network/actors/${own.id}`);
  await page.getByRole('link', { name: 'Suggest buyers' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Buyers for ${own.name}`);
  const suggested = page.getByRole('list', { name: 'Suggested buyers' }).getByRole('listitem').filter({ has: page.getByRole('heading') });
  const suggestion = suggested.filter({ has: page.getByRole('button', { name: /Propose a meeting with/ }) }).first();
  await expect(suggestion.getByRole('listitem').first()).toBeVisible();
  const buyer = (await suggestion.getByRole('heading').textContent()) ?? '';
  await suggestion.getByRole('button', { name: /Propose a meeting with/ }).click();
  await expect(page.getByRole('status').filter({ hasText: `with ${buyer} is proposed` })).toBeVisible();
  const meetings = page.getByRole('region', { name: 'Meetings', exact: true }).getByRole('listitem');
  const meeting = meetings.filter({ hasText: buyer }).first();
  await expect(meeting).toContainText('Proposed');
  await expect(suggested.filter({ hasText: buyer }).getByText('Meeting proposed')).toBeVisible();

  // The meeting is held: its outcome is recorded, then an alliance is started from it.
  await meeting.getByText('Record how it went').click();
  await meeting.getByLabel('Status').selectOption('held');
  await meeting.getByLabel('Date').fill('2026-12-04');
  await meeting.getByLabel('Who attended').fill('Ana Souza, Rui Lima');
  await meeting.getByLabel('Outcome').fill('Samples of honey and coffee sent.');
  await meeting.getByRole('button', { name: 'Save the meeting' }).click();
  await expect(page.getByRole('status').filter({ hasText: `with ${buyer} is saved (Held)` })).toBeVisible();
  const held = meetings.filter({ hasText: buyer }).first();
  await expect(held).toContainText('Samples of honey and coffee sent.');
  await expect(held).toContainText('Ana Souza, Rui Lima');
  await held.getByRole('button', { name: `Start an alliance with ${buyer}` }).click();
  await expect(page).toHaveURL(/\/network\/alliances\//);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Alliance: ${own.name} and ${buyer}`);
  const stages = page.getByRole('list', { name: 'Stages of the alliance' });
  await expect(stages.locator('[aria-current="step"]')).toHaveText('Meeting held');

  // It moves forward with its agreement and business plan; it cannot go back.
  const stage = page.getByLabel('Stage', { exact: true });
  await expect(stage.getByRole('option', { name: 'Prospect' })).toHaveCount(0);
  await stage.selectOption('negotiating');
  // A refused change keeps what was typed.
  await page.getByLabel('Quantity per period').fill('x'.repeat(2001));
  await page.getByLabel('Business plan (Markdown)').fill('## Plan\n\nSell **organic honey** in 500 g jars.');
  await page.getByRole('button', { name: 'Save the alliance' }).click();
  await expect(page.getByText('Quantity must be at most 2000 characters.').first()).toBeVisible();
  await expect(page.getByLabel('Business plan (Markdown)')).toHaveValue('## Plan\n\nSell **organic honey** in 500 g jars.');
  await page.getByLabel('Quantity per period').fill('200 kg per month');
  await page.getByRole('button', { name: 'Save the alliance' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'is saved (Negotiating)' })).toBeVisible();
  await expect(stages.locator('[aria-current="step"]')).toHaveText('Negotiating');
  await expect(page.getByText('organic honey', { exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Agreement', exact: true })).toContainText('200 kg per month');
  await expect(page.getByLabel('Stage', { exact: true }).getByRole('option', { name: 'Meeting held' })).toHaveCount(0);
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
  const organisations = page.getByRole('region', { name: 'Organisations', exact: true });
  await organisations.getByRole('button', { name: 'Check the file' }).click();
  const report = page.getByRole('region', { name: 'Import report' });
  await expect(report.getByRole('heading')).toHaveText('Check from “organisations.csv”: 2 organisations can be imported');
  const problems = report.getByRole('table', { name: 'Lines with a problem' }).getByRole('row').filter({ has: page.getByRole('cell') });
  await expect(problems).toHaveCount(2);
  await expect(problems.first()).toContainText('4');
  await expect(problems.last()).toContainText('“bank” is not a kind of actor');

  await page.getByLabel('Organisations: CSV file').setInputFiles(file);
  await organisations.getByRole('button', { name: 'Import' }).click();
  await expect(report.getByRole('heading')).toHaveText('Imported 2 organisations from “organisations.csv”');

  const relations = `from;to;kind\nCooperativa Importada ${stamp};Mercado Importado ${stamp};supplies\n`;
  await page.getByLabel('Relations: CSV file').setInputFiles({ name: 'relations.csv', mimeType: 'text/csv', buffer: Buffer.from(relations) });
  await page.getByRole('region', { name: 'Relations', exact: true }).getByRole('button', { name: 'Import' }).click();
  await expect(report.getByRole('heading')).toHaveText('Imported 1 relation from “relations.csv”');

  await open(page, `/network/map?focus=${encodeURIComponent(`Cooperativa Importada ${stamp}`)}`);
  const map = page.locator('[data-network-map]');
  await expect(map).toHaveAttribute('data-src', /\/neighbors\?depth=1$/);
  if (test.info().project.use.javaScriptEnabled !== false) {
    await expect(map).toHaveAttribute('data-nodes', '2', { timeout: 20_000 });
  }
});

test('people: a member adds someone to their cooperative; an organiser changes them, links their account and removes them', async ({ page }) => {
  const name = `Joana Pereira ${Date.now()}`;
  const own = await ownOrganisation({ name: 'Cooperativa Mãos Unidas', kind: 'cooperative', state: 'RS' });
  await logIn(page, own.email, OWN_PASSWORD);
  await open(page, `/network/actors/${own.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(own.name);
  const form = page.getByRole('group', { name: 'Add a person' });
  await form.getByText('Add a person').click();
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Role in the organisation').fill('Treasurer');
  await form.getByLabel('Email').fill('joana@example.org');
  await form.getByLabel('Gender', { exact: true }).selectOption('woman');
  await form.getByRole('button', { name: 'Add the person' }).click();
  // Gender without consent is refused, and what was typed stays.
  await expect(page.getByText('recorded only with the person\'s consent')).toBeVisible();
  await expect(form.getByLabel('Name')).toHaveValue(name);
  await form.getByLabel('The person agrees').check();
  await form.getByRole('button', { name: 'Add the person' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${name} is added` })).toBeVisible();
  await page.getByRole('region', { name: 'People', exact: true }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  const represents = page.getByRole('region', { name: 'Represents' });
  await expect(represents).toContainText(`${own.name} — Treasurer`);
  // A member sees no personal details.
  await expect(page.getByText('joana@example.org')).toHaveCount(0);

  await page.context().clearCookies();
  await logIn(page, 'organizer@example.org');
  await open(page, `/network/people?q=${encodeURIComponent(name)}`);
  const row = page.getByRole('table', { name: 'People' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('joana@example.org');
  await row.getByRole('link', { name }).click();
  await expect(page.getByRole('region', { name: 'Represents' })).toContainText('Woman');
  await page.getByLabel('Phone').fill('+55 51 99999-0000');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `${name} is saved` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Represents' })).toContainText('+55 51 99999-0000');
  // Linked to their own login by its email; an email with no account is refused, and stays.
  await page.getByLabel('User account (email)').fill('nobody@example.org');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('There is no user account with the email “nobody@example.org”.').first()).toBeVisible();
  await expect(page.getByLabel('User account (email)')).toHaveValue('nobody@example.org');
  await page.getByLabel('User account (email)').fill('secretariat@example.org');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `${name} is saved` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Represents' })).toContainText('secretariat@example.org');
  await page.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByText('Tick the box to confirm')).toBeVisible();
  await page.getByLabel(`Yes, remove ${name}`).check();
  await page.getByRole('button', { name: 'Remove' }).click();
  await expect(page).toHaveURL(/\/network\/people$/);
  await expect(page.getByRole('status').filter({ hasText: `${name} is removed` })).toBeVisible();
  await open(page, `/network/people?q=${encodeURIComponent(name)}`);
  await expect(page.getByText('No one by that name.')).toBeVisible();
});
