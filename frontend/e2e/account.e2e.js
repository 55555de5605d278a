// The person's own account in a real browser against the real frontend
// build: the user menu, changing the password (which ends the other
// sessions and keeps this one), and the Sessions page (sign one out, sign
// out everywhere else). The other sessions are real: a second AuthDesk in
// remote mode, and a tutorial-style browser client, both signed in to the
// same `authdesk serve`.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { OUTPUT, SERVED_PASSWORD as PASSWORD, e2e, servedFolder } from './harness.js'
import { createRequire } from 'node:module'

const NEW_PASSWORD = 'a-new-secret-pass'

async function logIn(page, username, password) {
  await page.locator('#username').fill(username)
  await page.locator('#password').fill(password)
  await page.locator('button[type=submit]').click()
  await page.waitForURL(/#\/$/)
}

// remoteApp starts an AuthDesk harness set to the served API and signs in.
async function remoteApp(ctx, api, password = PASSWORD) {
  const h = await ctx.start()
  const page = await ctx.open(h, '/settings')
  await page.locator('#backend-remote').check()
  await page.locator('#remote-url').fill(api.url)
  await page.locator('#save-settings').click()
  await page.waitForURL(/#\/login/)
  await logIn(page, 'test', password)
  return { h, page }
}

// menu opens the user menu and picks an entry.
// accessible checks what axe-core finds in part of a page (WCAG 2 A and AA).
// (The pages come from browser.newPage, which @axe-core/playwright does not
// take, so axe-core is put into the page itself.)
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
async function accessible(page, selector) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE })
  const found = await page.evaluate(async (sel) => {
    const r = await window.axe.run(sel, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
  }, selector)
  assert.deepEqual(found, [], `accessibility of ${selector}`)
}

async function menu(page, entry) {
  await page.locator('#user-menu').click()
  await page.locator(`#menu-${entry}`).click()
}

async function sessionRows(page) {
  await page.locator('#sessions-list .session-row').first().waitFor()
  // Wait for the list to settle after a reload.
  await page.waitForFunction(() => document.querySelector('#sessions-list')?.getAttribute('aria-busy') === 'false')
  return page.locator('#sessions-list .session-row')
}

// signedOut waits until a page's session has ended and the login page says why.
async function signedOut(page) {
  await page.waitForURL(/#\/login\?returnUrl=/, { timeout: 15_000 })
  await page.locator('#session-notice').waitFor()
}

// A tutorial-style browser client (frontend/e2e/fixtures) on its own
// loopback origin, signed in to the API: the same cookie-and-JWT flow a web
// app written for the tutorial uses.
async function browserClient(ctx, api) {
  const html = readFileSync(new URL('./fixtures/tutorial-client.html', import.meta.url))
  const site = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(html)
  })
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve))
  const page = await ctx.blankPage()
  const apiURL = api.url.replace('127.0.0.1', 'localhost')
  await page.goto(`http://localhost:${site.address().port}/?api=${encodeURIComponent(apiURL)}`)
  const user = await page.evaluate((pw) => window.client.login('test', pw), PASSWORD)
  assert.equal(user.username, 'test')
  const refresh = () => page.evaluate(() => window.client.refresh().then((u) => `refreshed ${u.username}`, (e) => e.message))
  return { page, refresh, close: () => site.close() }
}

describe('account', () => {
  test(
    'changing the password ends the other session at its next call; this one goes on',
    e2e(async (ctx) => {
      const api = await ctx.serve({ dataDir: servedFolder() })
      const a = await remoteApp(ctx, api)
      const b = await remoteApp(ctx, api)

      // The nav bar says who is signed in; the menu offers the account pages.
      await a.page.locator('#user-menu-name').waitFor()
      assert.equal(await a.page.locator('#user-menu-name').innerText(), 'Test User')
      assert.equal(await a.page.locator('#user-menu-role').innerText(), 'Admin')
      await a.page.locator('#user-menu').click()
      await a.page.locator('#menu-account').waitFor()
      assert.deepEqual(await a.page.locator('#user-menu-list [role=menuitem]').allInnerTexts(), ['Account', 'Sessions', 'Sign out'])
      await a.page.screenshot({ path: join(OUTPUT, 'account-menu.png') })
      await accessible(a.page, '.user-menu')
      await a.page.keyboard.press('Escape')

      // Sessions: both AuthDesks, this one marked.
      await menu(a.page, 'sessions')
      await a.page.waitForURL(/#\/account\/sessions/)
      const rows = await sessionRows(a.page)
      assert.equal(await rows.count(), 2)
      assert.equal(await rows.nth(0).getAttribute('data-current'), 'true')
      assert.match(await rows.nth(0).innerText(), /This session/)
      assert.match(await rows.nth(1).innerText(), /127\.0\.0\.1/)
      assert.match(await rows.nth(1).innerText(), /AuthDesk/)
      await accessible(a.page, '.container')

      // Account: a mistake first (the form says so), then the change.
      await menu(a.page, 'account')
      await a.page.waitForURL(/#\/account$/)
      await a.page.locator('#current-password').fill('not-my-password')
      await a.page.locator('#new-password').fill(NEW_PASSWORD)
      await a.page.locator('#repeat-password').fill(NEW_PASSWORD)
      await a.page.locator('#change-password').click()
      await a.page.locator('#password-error').waitFor()
      assert.equal(await a.page.locator('#password-error').innerText(), 'Current password is not correct')
      await a.page.locator('#current-password').fill(PASSWORD)
      await a.page.locator('#change-password').click()
      await a.page.locator('#password-changed').waitFor()
      await a.page.screenshot({ path: join(OUTPUT, 'account-password-changed.png') })
      await accessible(a.page, '.container')
      await api.waitForLog(/path=\/users\/me\/password status=200/)

      // The other AuthDesk is signed out at its next call.
      await menu(b.page, 'sessions')
      await signedOut(b.page)
      await b.h.waitForLog(/msg="session ended" reason=revoked/)
      await b.page.screenshot({ path: join(OUTPUT, 'account-other-signed-out.png') })

      // This one goes on: its calls work and it is the only session left.
      await a.page.locator('#nav-home').click()
      await a.page.locator('#users-list li').first().waitFor()
      await menu(a.page, 'sessions')
      assert.equal(await (await sessionRows(a.page)).count(), 1)
      assert.match(a.page.url(), /#\/account\/sessions/)

      // The old password is gone, the new one signs in.
      await b.page.locator('#username').fill('test')
      await b.page.locator('#password').fill(PASSWORD)
      await b.page.locator('button[type=submit]').click()
      await b.page.locator('#login-error').waitFor()
      await b.page.locator('#password').fill(NEW_PASSWORD)
      await b.page.locator('button[type=submit]').click()
      // Back where it was sent away from, now one of two sessions again.
      await b.page.waitForURL(/#\/account\/sessions/)
      assert.equal(await (await sessionRows(b.page)).count(), 2)
    }),
  )

  test(
    'the Sessions page signs out a browser elsewhere, then everywhere else',
    e2e(async (ctx) => {
      const api = await ctx.serve({ dataDir: servedFolder() })
      const a = await remoteApp(ctx, api)
      const web = await browserClient(ctx, api)
      try {
        await menu(a.page, 'sessions')
        let rows = await sessionRows(a.page)
        assert.equal(await rows.count(), 2)
        const other = rows.nth(1)
        assert.match(await other.innerText(), /Chrome/) // headless Chromium's User-Agent
        assert.match(await other.locator('.session-program').getAttribute('title'), /HeadlessChrome|Chrome/)
        await a.page.screenshot({ path: join(OUTPUT, 'account-sessions.png') })

        await other.locator('.session-sign-out').click()
        await a.page.locator('#sessions-notice').waitFor()
        assert.equal(await a.page.locator('#sessions-notice').innerText(), 'The session was signed out.')
        rows = await sessionRows(a.page)
        assert.equal(await rows.count(), 1)
        assert.equal(await a.page.locator('#sign-out-others').isDisabled(), true)
        // The browser's next refresh is refused.
        assert.match(await web.refresh(), /400 Invalid token/)

        // Two more sessions: a new browser login and a second AuthDesk.
        await web.page.evaluate((pw) => window.client.login('test', pw), PASSWORD)
        const b = await remoteApp(ctx, api)
        await a.page.locator('#sessions-refresh').click()
        await a.page.waitForFunction(() => document.querySelectorAll('#sessions-list .session-row').length === 3)
        await a.page.locator('#sign-out-others').click()
        await a.page.locator('#sessions-notice').waitFor()
        assert.equal(await a.page.locator('#sessions-notice').innerText(), '2 other sessions were signed out.')
        assert.equal(await (await sessionRows(a.page)).count(), 1)
        await a.page.screenshot({ path: join(OUTPUT, 'account-signed-out-elsewhere.png') })
        assert.match(await web.refresh(), /400 Invalid token/)
        await b.page.reload()
        await signedOut(b.page)

        // This one is still in.
        await a.page.locator('#nav-home').click()
        await a.page.locator('#users-list li').first().waitFor()
      } finally {
        web.close()
      }
    }),
  )

  test(
    'embedded: wrong current passwords are throttled with a countdown; the change keeps this session',
    e2e(async (ctx) => {
      const h = await ctx.start()
      const page = await ctx.open(h, '/login')
      await logIn(page, 'test', 'test')
      await menu(page, 'sessions')
      const rows = await sessionRows(page)
      assert.equal(await rows.count(), 1)
      assert.match(await rows.nth(0).innerText(), /This computer \(embedded backend\)/)

      await menu(page, 'account')
      await page.locator('#new-password').fill(NEW_PASSWORD)
      await page.locator('#repeat-password').fill(NEW_PASSWORD)
      for (let i = 0; i < 5; i++) {
        await page.locator('#current-password').fill(`guess-${i}`)
        await page.locator('#change-password').click()
        await page.locator('#password-error').waitFor()
        await page.waitForFunction(() => !document.querySelector('#change-password')?.disabled)
      }
      await page.locator('#current-password').fill('test')
      await page.locator('#change-password').click()
      const retry = page.locator('#password-retry')
      await retry.waitFor()
      assert.match(await retry.innerText(), /^Too many attempts, try again in [12] s$/)
      assert.equal(await page.locator('#change-password').isDisabled(), true)
      await page.screenshot({ path: join(OUTPUT, 'account-throttled.png') })
      await accessible(page, '.container')
      // The countdown ends and the button comes back; then the change goes through.
      await retry.waitFor({ state: 'detached', timeout: 5_000 })
      await page.locator('#current-password').fill('test')
      await page.locator('#change-password').click()
      await page.locator('#password-changed').waitFor()
      await page.locator('#nav-home').click()
      await page.locator('#users-list li').first().waitFor()
      // Signed in with the new password after a sign-out through the menu.
      await menu(page, 'sign-out')
      await page.waitForURL(/#\/login/)
      await logIn(page, 'test', NEW_PASSWORD)
    }),
  )
})
