import { expect, test, type Page } from '@playwright/test';
import { logIn as logInAs, open, ownOrganisation, OWN_PASSWORD } from './helpers';

const PASSWORD = 'mutirao-demo';
const ACCOUNTS = [
  { email: 'admin@example.org', name: 'Ana Administradora', role: 'Administrator' },
  { email: 'secretariat@example.org', name: 'Sérgio da Secretaria', role: 'Secretariat' },
  { email: 'organizer@example.org', name: 'Olívia Organizadora', role: 'Workshop organiser' },
  { email: 'member@example.org', name: 'Márcio Membro', role: 'Network member' },
];

async function logIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
}

for (const account of ACCOUNTS) {
  test(`${account.role} logs in and sees the dashboard`, async ({ page }) => {
    await logIn(page, account.email);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${account.name}`);
    await expect(page.getByText(account.role).first()).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Network' })).toBeVisible();
  });
}

test('a wrong password is refused with a clear message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('member@example.org');
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText('The email or password is not correct.');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Log in to Mutirão');
});

test('a member is refused the admin pages', async ({ page }) => {
  await logIn(page, 'member@example.org');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Márcio Membro');
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await page.goto('/admin');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You may not see this page');
  await expect(page.getByRole('table')).toHaveCount(0);
});

test('an admin sees the users and logs out', async ({ page }) => {
  await logIn(page, 'admin@example.org');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Ana Administradora');
  await page.getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Users');
  await expect(page.getByRole('cell', { name: 'member@example.org' })).toBeVisible();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/admin');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Please log in');
});

test('the network directory searches without regard to accents', async ({ page }) => {
  await logIn(page, 'member@example.org');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Márcio Membro');
  await page.goto('/network');
  await page.getByLabel('Search organisations').fill('agroecologica terra');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('cell', { name: 'Cooperativa Agroecológica Terra Viva' })).toBeVisible();
});

test('an admin disables an account: its user is shut out at once, and enabled again logs in', async ({ page, browser }) => {
  const { email } = await ownOrganisation({ name: 'Cooperativa Acesso', kind: 'cooperative' });
  const theirs = await browser.newContext();
  const them = await theirs.newPage();
  await logInAs(them, email, OWN_PASSWORD);
  await logInAs(page, 'admin@example.org');
  const users = await page.request.get(`/api/v1/users?per_page=100`);
  const user = (await users.json()).items.find((u: { email: string }) => u.email === email);
  await open(page, `/admin/users/${user.id}`);
  await page.getByRole('button', { name: 'Disable account' }).click();
  await expect(page.getByRole('button', { name: 'Enable account' })).toBeVisible();
  await expect(page.getByText(`${email} ·`)).toContainText('disabled');
  expect((await them.request.get('/api/v1/me')).status()).toBe(401);
  await page.getByRole('button', { name: 'Enable account' }).click();
  await expect(page.getByRole('button', { name: 'Disable account' })).toBeVisible();
  await logInAs(them, email, OWN_PASSWORD);
  await theirs.close();
  // Both are in the audit log, by this admin, filtered by the action.
  await open(page, '/admin/audit');
  await page.getByLabel('Action').selectOption('user.disabled');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=user\.disabled/);
  const row = page.getByRole('row').filter({ hasText: `user:${user.id}` });
  await expect(row.first()).toContainText('Disabled a user account');
  await expect(page.getByRole('cell', { name: 'Enabled a user account' })).toHaveCount(0);
});
