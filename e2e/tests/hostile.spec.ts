// Hostile text in the page's head: a name that closes `<title>` must stay text. Each test makes its
// own records through the API, opens the page, and fails if any dialog opens (the payload calls
// alert()). Without JavaScript no script could run anyway; the markup is checked there too.
import { expect, request, test, type Page } from '@playwright/test';
import { logIn, open, ownOrganisation, OWN_PASSWORD, PASSWORD } from './helpers';

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

// Hostile text in every field people type, then every page that shows it, and every export.
// A payload that ran would open a dialog (alert), leave an element with a handler or a
// `javascript:` link, or load an image from another site (which tells it who reads what).
const hostile = (n: number) =>
  `<script>alert(${n})</script><img src=x onerror=alert(${n})></title></textarea></style></script><svg onload=alert(${n})> \u202Eevil`;
/** For fields of at most 60 characters (labels, tags, products, roles). */
const short = (n: number) => `</title><img src=x onerror=alert(${n})><svg onload=alert(${n})>`.slice(0, 60);
const markdown = (n: number) =>
  [
    hostile(n),
    `[one](javascript:alert(${n})) [two](JaVaScRiPt:alert(${n})) [three](java&#x09;script:alert(${n}))`,
    `<a href="javascript:alert(${n})">four</a> <a href=" jav&#x61;script:alert(${n})">five</a>`,
    `![tracker](https://evil.example/t${n}.png) <iframe src="https://evil.example"></iframe>`,
    `=HYPERLINK("https://evil.example","click")`,
  ].join('\n\n');

async function expectNothingRan(page: Page, url: string, dialogs: string[]) {
  await open(page, url);
  await expect(page.locator('main')).toBeVisible();
  const ran = await page.evaluate(() => {
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) found.push(`${el.tagName} ${attr.name}`);
        if (/^\s*javascript:/i.test(attr.value.replace(/[\s\u0000-\u001f]/g, ''))) found.push(`${el.tagName} ${attr.name}=${attr.value}`);
      }
      if (el.tagName === 'IFRAME' || (el.tagName === 'IMG' && !(el as HTMLImageElement).src.startsWith(location.origin) && !(el as HTMLImageElement).src.startsWith('data:'))) {
        found.push(`${el.tagName} ${(el as HTMLImageElement).src}`);
      }
    }
    return found;
  });
  expect(ran, url).toEqual([]);
  expect(dialogs, url).toEqual([]);
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else if (c !== '\r') cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

test('hostile text in every field runs nothing on any page that shows it, and every export reads back whole', async ({ page }) => {
  test.setTimeout(120_000);
  const dialogs = failOnDialog(page);
  const project = test.info().project.name.replace(/\W/g, '');
  const member = await ownOrganisation({ name: hostile(1), kind: 'cooperative', description: markdown(2), products: [short(3)], tags: [short(4)], municipality: hostile(5), state: 'DF', visibility: 'public' });
  await logIn(page, 'admin@example.org');
  const api = page.request;
  const ok = async (r: Awaited<ReturnType<typeof api.post>>) => {
    expect(r.status(), await r.text()).toBeLessThan(300);
    return r.json();
  };
  // What the server refuses outright: control characters in a name, a `javascript:` website.
  expect((await api.post('/api/v1/actors', { data: { name: `Bell \u0007 ${project}`, kind: 'retailer' } })).status()).toBe(400);
  expect((await api.post('/api/v1/actors', { data: { name: `Site ${project}`, kind: 'retailer', website: 'javascript:alert(1)' } })).status()).toBe(400);

  const kind = `hostile_${project}`.toLowerCase();
  await ok(await api.post('/api/v1/network/kinds', { data: { of: 'actor', id: kind, label: short(6), buyer: true } }));
  const buyer = await ok(await api.post('/api/v1/actors', { data: { name: `${hostile(7)} ${project}`, kind } }));
  await ok(await api.post('/api/v1/relations', { data: { from: member.id, to: buyer.id, kind: 'supplies', note: hostile(8) } }));
  const person = await ok(await api.post('/api/v1/people', { data: { name: hostile(9), actors: [{ actor_id: member.id, role: short(10) }] } }));
  const alliance = await ok(await api.post('/api/v1/alliances', { data: { producer: member.id, buyer: buyer.id, products: hostile(11), business_plan: markdown(12) } }));
  await ok(await api.post('/api/v1/meetings', { data: { producer: member.id, buyer: buyer.id, outcome: hostile(13), attendees: [short(14)], reasons: [hostile(15)] } }));

  // A document with hostile title, themes and paragraphs (one 20,000 characters long).
  const slug = `hostile-all-${project}`.toLowerCase();
  const long = `${hostile(16)} ${'long '.repeat(4000)}`.slice(0, 19_999) + '.';
  const doc = await ok(await api.post('/api/v1/documents', {
    data: { title: hostile(17), slug, summary: hostile(18), preamble: markdown(19), themes: [{ title: hostile(20), paragraphs: [{ text: markdown(21) }, { text: long }] }] },
  }));
  const pid = doc.themes[0].paragraphs[0].id;
  await ok(await api.post(`/api/v1/documents/${slug}/versions`, { data: { label: short(22) } }));
  await ok(await api.patch(`/api/v1/documents/${slug}`, { data: { status: 'open_for_comments' } }));
  const memberApi = await request.newContext({ baseURL: test.info().project.use.baseURL });
  await ok(await memberApi.post('/api/v1/session', { data: { email: member.email, password: OWN_PASSWORD } }));
  const amendment = await ok(await memberApi.post(`/api/v1/documents/${slug}/amendments`, {
    data: { paragraph_id: pid, kind: 'replace', text: `${markdown(23)} changed`, rationale: markdown(24), actor_id: member.id },
  }));
  const comment = await ok(await memberApi.post(`/api/v1/documents/${slug}/comments`, { data: { target: 'document', body: markdown(25) } }));
  await ok(await memberApi.post(`/api/v1/documents/${slug}/comments`, { data: { target: 'paragraph', target_id: pid, parent_id: undefined, body: markdown(26) } }));
  await ok(await memberApi.post(`/api/v1/documents/${slug}/comments`, { data: { target: 'document', parent_id: comment.id, body: hostile(27) } }));
  await ok(await api.post(`/api/v1/amendments/${amendment.id}/decision`, { data: { decision: 'accept', reason: hostile(28) } }));
  await ok(await api.post(`/api/v1/documents/${slug}/versions`, { data: { label: 'Two' } }));
  await ok(await api.patch(`/api/v1/documents/${slug}`, { data: { status: 'final' } }));
  await ok(await api.post(`/api/v1/documents/${slug}/publish`, { data: {} }));

  for (const url of [
    '/', `/network/actors/${member.id}`, `/network/actors/${buyer.id}`, `/network/actors/${member.id}/matches`,
    `/network?q=${encodeURIComponent('evil')}`, `/network?kind=${kind}`, '/network/people', `/network/people/${person.id}`,
    `/network/alliances/${alliance.id}`, `/network/map?focus=${encodeURIComponent(member.name)}`, '/network/reports',
    '/recommendations', `/recommendations/${slug}`, `/recommendations/${slug}/p/${pid}`, `/recommendations/${slug}/compilation`,
    `/recommendations/${slug}/comments`, `/recommendations/${slug}/compare?from=1&to=2`, `/recommendations/${slug}/edit`,
    `/r/${slug}`, `/r/${slug}/v/1`, '/admin/audit',
  ]) {
    await expectNothingRan(page, url, dialogs);
  }
  // The public pages, logged out.
  await page.context().clearCookies();
  for (const url of [`/directory?q=${encodeURIComponent('evil')}`, `/r/${slug}`]) {
    await expectNothingRan(page, url, dialogs);
  }

  // Every export gives the text back as typed, and no spreadsheet cell starts a formula.
  const admin = await request.newContext({ baseURL: test.info().project.use.baseURL });
  await ok(await admin.post('/api/v1/session', { data: { email: 'admin@example.org', password: PASSWORD } }));
  const csv = parseCsv(await (await admin.get('/api/v1/network/export?format=csv')).text());
  const header = csv[0];
  const row = csv.find((r) => r[0] === member.id)!;
  expect(row[header.indexOf('name')]).toBe(member.name);
  expect(row[header.indexOf('description')]).toBe(markdown(2));
  expect(csv.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
  const relations = parseCsv(await (await admin.get('/api/v1/network/export?format=csv&table=relations')).text());
  expect(relations.some((r) => r.includes(hostile(8)))).toBe(true);
  const json = await (await admin.get('/api/v1/network/export?format=json')).json();
  expect(JSON.stringify(json)).toContain(JSON.stringify(member.name).slice(1, -1));
  for (const format of ['graphml', 'gexf']) {
    const xml = await (await admin.get(`/api/v1/network/export?format=${format}`)).text();
    const labels = await page.evaluate((text) => {
      const parsed = new DOMParser().parseFromString(text, 'application/xml');
      if (parsed.querySelector('parsererror')) return null;
      return Array.from(parsed.querySelectorAll('*')).flatMap((el) => [el.getAttribute('label') ?? '', el.children.length ? '' : el.textContent ?? '']);
    }, xml);
    expect(labels, `${format} parses`).not.toBeNull();
    expect(labels, format).toContain(member.name);
  }
  const published = await (await admin.get(`/r/${slug}.json`)).json();
  expect(JSON.stringify(published)).toContain(JSON.stringify(hostile(17)).slice(1, -1));
  const md = await (await admin.get(`/r/${slug}.md`)).text();
  expect(md).toContain(hostile(20));
  expect(md.includes(long), 'the 20,000-character paragraph is whole').toBe(true);
  const compilation = await admin.get(`/api/v1/documents/${slug}/compilation`, { headers: { accept: 'text/markdown' } });
  expect(compilation.status()).toBe(200);
  expect(await compilation.text()).toContain(hostile(23));
  await Promise.all([memberApi.dispose(), admin.dispose()]);
});
