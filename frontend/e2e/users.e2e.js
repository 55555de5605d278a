// The admin's Users page in a real browser: an admin adds someone who then
// signs in, and disabling an account signs that person out of their own
// AuthDesk (a second app instance against the same `authdesk serve`).
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { OUTPUT, SERVED_PASSWORD, addUser, e2e, servedFolder, tempDataDir } from './harness.js'

// seeded is a data folder with an admin (password PASSWORD) and n-1 users,
// imported with one cheap bcrypt hash (AuthDesk takes bcrypt on import).
const PASSWORD = 'bench-password'
const HASH = '$2a$04$ga/cSfSQul6aop.DBVYGIut6kFthDLTcXrlyNPiRCSTGIOxE08n7W' // bcrypt, cost 4, of PASSWORD
function seeded(n) {
  const dir = tempDataDir()
  const lines = [JSON.stringify({ username: 'admin', passwordHash: HASH, firstName: 'Ada', lastName: 'Admin', role: 'Admin' })]
  for (let i = 1; i < n; i++) {
    const id = String(i).padStart(6, '0')
    lines.push(JSON.stringify({ username: `user${id}`, passwordHash: HASH, firstName: `First${id}`, lastName: `Last${id}` }))
  }
  const file = join(dir, 'seed.json')
  writeFileSync(file, lines.join('\n') + '\n')
  const r = spawnSync(process.env.AUTHDESK_HARNESS, ['--data-dir', dir, 'users', 'import', '--format', 'mongo', file], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  return dir
}

// scrollToEnd scrolls a virtual list down until its last row is loaded and
// shown, and returns the most rows the page held at once on the way.
async function scrollToEnd(page, box, lastText) {
  let most = 0
  for (let i = 0; i < 200; i++) {
    most = Math.max(most, await page.locator(`${box} .virtual-row`).count())
    if (await page.locator(`${box} .virtual-row`).getByText(lastText).count()) return most
    await page.locator(box).evaluate((el) => (el.scrollTop = el.scrollHeight))
    await page.waitForTimeout(50)
  }
  throw new Error(`${lastText} never came into view`)
}

async function logIn(page, username, password) {
  await page.locator('#username').fill(username)
  await page.locator('#password').fill(password)
  await page.locator('button[type=submit]').click()
}

async function useServer(page, url) {
  await page.locator('#backend-remote').check()
  await page.locator('#remote-url').fill(url)
  await page.locator('#save-settings').click()
  await page.waitForURL(/#\/login/)
}

const row = (page, username) => page.locator(`.user-row[data-username="${username}"]`)

describe('users page', () => {
  test(
    'an admin adds a user who then signs in; non-admins see no Users page',
    e2e(async (ctx) => {
      const h = await ctx.start()
      const page = await ctx.open(h, '/login')
      await logIn(page, 'test', 'test')
      await page.waitForURL(/#\/$/)
      await page.locator('#nav-users').click()
      await page.waitForURL(/#\/users/)
      await row(page, 'test').waitFor()
      assert.equal(await page.locator('#users-total').innerText(), 'One user')

      await page.locator('#users-add').click()
      await page.locator('#ue-username').fill('Carol')
      await page.locator('#ue-first').fill('Carol')
      await page.locator('#ue-last').fill('Cole')
      await page.locator('#ue-password').fill('carols-password')
      await page.locator('#ue-confirm').fill('carols-password')
      await page.locator('#user-editor-submit').click()
      await page.locator('#users-notice').getByText('Added carol.').waitFor()
      await row(page, 'carol').waitFor()
      assert.match(await row(page, 'carol').innerText(), /Carol Cole/)
      assert.equal(await page.locator('#users-total').innerText(), '2 users')

      // Search runs in Go: part of the last name, any case.
      await page.locator('#users-search').fill('COL')
      await page.waitForFunction(() => document.querySelectorAll('.user-row').length === 1)
      assert.equal(await page.locator('.user-row').getAttribute('data-username'), 'carol')
      await page.screenshot({ path: join(OUTPUT, 'users-page.png') })
      // The page, with the add form open, passes axe's WCAG A/AA rules.
      await page.locator('#users-add').click()
      // (axe-core itself: the harness's pages have no context of their own
      // for @axe-core/playwright to open its helper page in.)
      await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') })
      const axe = await page.evaluate(() => window.axe.run('#users-page', { runOnly: ['wcag2a', 'wcag2aa'] }))
      assert.deepEqual(
        axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        [],
      )
      assert.ok(axe.passes.length > 10, 'axe checked the page')
      await page.locator('#user-editor-cancel').click()

      await page.locator('#logout').click()
      await page.waitForURL(/#\/login/)
      await logIn(page, 'carol', 'carols-password')
      await page.getByText('Hi Carol!').waitFor()
      assert.equal(await page.locator('#nav-users').count(), 0, 'a User sees no Users link')
      await page.goto(`${h.url}/#/users`)
      await page.waitForURL(/#\/$/)
      await page.getByText('Hi Carol!').waitFor()
    }),
  )

  test(
    'disabling an account signs that person out of their own AuthDesk',
    e2e(async (ctx) => {
      const data = servedFolder() // admin: test
      addUser(data, 'bob', 'Bob', 'Builder')
      // 65 s access tokens: each app refreshes about 5 s after signing in.
      const api = await ctx.serve({ dataDir: data, args: ['--access-ttl', '65s'] })

      const bobApp = await ctx.start()
      const bob = await ctx.open(bobApp, '/settings')
      await useServer(bob, api.url)
      await logIn(bob, 'bob', SERVED_PASSWORD)
      await bob.getByText('Hi Bob!').waitFor()

      const adminApp = await ctx.start()
      const admin = await ctx.open(adminApp, '/settings')
      await useServer(admin, api.url)
      await logIn(admin, 'test', SERVED_PASSWORD)
      await admin.waitForURL(/#\/$/)
      await admin.locator('#nav-users').click()
      await row(admin, 'bob').waitFor()
      admin.once('dialog', (d) => d.accept())
      await row(admin, 'bob').locator('.act-disable').click()
      await admin.locator('#users-notice').getByText('bob is disabled and signed out.').waitFor()
      await row(admin, 'bob').locator('.user-disabled').waitFor()
      await api.waitForLog(/method=PATCH path=\/users\/\d+ status=200/)

      // Bob's app: its next refresh is refused and the session ends.
      await bob.waitForURL(/#\/login/, { timeout: 30_000 })
      await bobApp.waitForLog(/msg="session ended"/)
      await logIn(bob, 'bob', SERVED_PASSWORD)
      await bob.getByText('This account is disabled. Ask an administrator to enable it.').waitFor()

      // Enabled again, bob signs in.
      await row(admin, 'bob').locator('.act-disable').click()
      await admin.locator('#users-notice').getByText('bob is enabled.').waitFor()
      await logIn(bob, 'bob', SERVED_PASSWORD)
      await bob.getByText('Hi Bob!').waitFor()
    }),
  )

  test(
    'the home list and the Users page load 1,500 users page by page while only the rows in view exist',
    e2e(async (ctx) => {
      const h = await ctx.start({ dataDir: seeded(1500) })
      const page = await ctx.open(h, '/login')
      await logIn(page, 'admin', PASSWORD)
      await page.locator('#users-list li').first().waitFor()
      const home = await scrollToEnd(page, '.virtual-rows', 'First001499 Last001499')
      assert.ok(home < 60, `the home list held ${home} rows at once`)

      await page.locator('#nav-users').click()
      await row(page, 'admin').waitFor()
      assert.equal(await page.locator('#users-total').innerText(), '1500 users')
      const users = await scrollToEnd(page, '.virtual-rows', 'user001499')
      assert.ok(users < 40, `the Users page held ${users} rows at once`)
      await page.screenshot({ path: join(OUTPUT, 'users-page-scrolled.png') })
    }),
  )
})

