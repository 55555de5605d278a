// Accessibility, keyboard and language in a real browser against the real
// build: axe-core on every page (English and German, light and dark) with no
// serious or critical violation, the focus rules of the login page, the
// Settings page's unsaved-changes prompt, and German screenshots.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import { OUTPUT, e2e } from './harness.js'

// checkPage runs axe-core on what the page shows now and fails on any
// serious or critical violation, listing each with the elements it found.
async function checkPage(page, name) {
  const result = await new AxeBuilder({ page }).analyze()
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  const text = bad
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`)
    .join('\n')
  assert.equal(bad.length, 0, `${name}: axe found\n${text}`)
  // Something was checked: the page has content and axe ran its rules.
  assert.ok(result.passes.length > 10, `${name}: axe checked ${result.passes.length} rules`)
}

async function logIn(page, username = 'test', password = 'test') {
  await page.locator('#username').fill(username)
  await page.locator('#password').fill(password)
  await page.locator('button[type=submit]').click()
}

const focusedId = (page) => page.evaluate(() => document.activeElement?.id || '')

async function settingsPage(page) {
  await page.locator('#nav-settings').click()
  await page.waitForURL(/#\/settings/)
  await page.locator('#settings-form').waitFor()
}

async function twoStepPage(page) {
  await page.locator('#nav-two-step').click()
  await page.waitForURL(/#\/account\/two-step/)
  await page.locator('#twostep-begin').click()
  await page.locator('#twostep-qr').waitFor()
}

describe('accessibility', () => {
  test(
    'every page passes axe-core in English, light and dark',
    e2e(async (ctx) => {
      const h = await ctx.start()
      const page = await ctx.open(h, '/login')
      await page.locator('#username').waitFor()
      for (const theme of ['light', 'dark']) {
        // The theme is a Settings choice that also works signed out.
        await page.goto(`${h.url}/#/settings`)
        await page.locator('#theme-choice').selectOption(theme)
        await page.waitForFunction((t) => document.documentElement.getAttribute('data-bs-theme') === t, theme)
        await checkPage(page, `settings (signed out, ${theme})`)
        await page.locator('#settings-back').click()
        await page.waitForURL(/#\/login/)
        await checkPage(page, `login (${theme})`)
        await page.locator('button[type=submit]').click()
        await page.getByText('Username is required').waitFor()
        await checkPage(page, `login with errors (${theme})`)
        await logIn(page)
        await page.waitForURL(/#\/$/)
        await page.locator('#users-list').waitFor()
        await checkPage(page, `home (${theme})`)
        await settingsPage(page)
        await checkPage(page, `settings (${theme})`)
        await page.locator('#backend-remote').check()
        await page.locator('#remote-url').fill('http://127.0.0.1:9')
        await page.locator('#settings-back').click()
        await page.locator('#discard-dialog').waitFor()
        await checkPage(page, `discard dialog (${theme})`)
        await page.locator('#discard-dialog-confirm').click()
        await page.waitForURL(/#\/$/)
        await twoStepPage(page)
        await checkPage(page, `two-step set-up (${theme})`)
        await page.locator('#logout').click()
        await page.waitForURL(/#\/login/)
        // Go's session:changed(logout) comes a moment later and takes a
        // page that is not the login page there: let it come first.
        await h.waitForLog(/session ended/)
        await page.waitForTimeout(500)
      }
    }),
  )

  test(
    'with a German system the UI speaks German, passes axe-core, and is screenshotted',
    e2e(async (ctx) => {
      const h = await ctx.start()
      const page = await ctx.open(h, '/login', { locale: 'de-DE' })
      await page.getByText('Bei AuthDesk anmelden').waitFor()
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'de')
      await checkPage(page, 'Anmeldung')
      await page.screenshot({ path: join(OUTPUT, 'de-login.png') })
      await page.locator('button[type=submit]').click()
      await page.getByText('Bitte den Benutzernamen eingeben').waitFor()
      await page.screenshot({ path: join(OUTPUT, 'de-login-errors.png') })
      await logIn(page, 'test', 'falsch')
      await page.getByText('Benutzername oder Passwort ist falsch').waitFor()

      await logIn(page)
      await page.getByText('Hallo Test!').waitFor()
      await page.locator('#users-list').waitFor()
      assert.match(await page.locator('#session-backend').innerText(), /^Backend: Eingebettet \(offline\)$/)
      await checkPage(page, 'Startseite')
      await page.screenshot({ path: join(OUTPUT, 'de-home.png') })

      await settingsPage(page)
      await page.getByText('Darstellung').waitFor()
      await checkPage(page, 'Einstellungen')
      await page.screenshot({ path: join(OUTPUT, 'de-settings.png') })

      await page.locator('#backend-remote').check()
      await page.locator('#remote-url').fill('http://127.0.0.1:9')
      await page.locator('#nav-home').click()
      await page.getByText('Änderungen verwerfen?').waitFor()
      await checkPage(page, 'Verwerfen?')
      await page.screenshot({ path: join(OUTPUT, 'de-discard.png') })
      await page.locator('#discard-dialog-confirm').click()
      await page.waitForURL(/#\/$/)

      await twoStepPage(page)
      await checkPage(page, 'Zweistufige Anmeldung')
      await page.screenshot({ path: join(OUTPUT, 'de-two-step.png') })
    }),
  )
})

describe('language setting', () => {
  test(
    'choosing Deutsch in Settings switches at once and is kept across a reload; System follows the browser again',
    e2e(async (ctx) => {
      const h = await ctx.start()
      const page = await ctx.open(h, '/settings')
      await page.locator('#language-choice').waitFor()
      assert.equal(await page.locator('h1').innerText(), 'Settings')
      await page.locator('#language-choice').selectOption('de')
      await page.getByRole('heading', { name: 'Einstellungen' }).waitFor()
      await page.reload()
      await page.getByRole('heading', { name: 'Einstellungen' }).waitFor()
      assert.equal(await page.locator('#language-choice').inputValue(), 'de')
      await page.locator('#language-choice').selectOption('system')
      await page.getByRole('heading', { name: 'Settings' }).waitFor()
      await page.reload()
      await page.getByRole('heading', { name: 'Settings' }).waitFor()
    }),
  )
})

describe('keyboard and focus', () => {
  test(
    'Username has the focus on the login page, after a logout too; an empty submit focuses the first empty field and moves nothing',
    e2e(async (ctx) => {
      const h = await ctx.start()
      const page = await ctx.open(h, '/login')
      await page.locator('#username').waitFor()
      await page.waitForFunction(() => document.activeElement?.id === 'username')

      const passwordTop = () => page.locator('#password').evaluate((el) => el.getBoundingClientRect().top)
      const submitTop = () => page.locator('button[type=submit]').evaluate((el) => el.getBoundingClientRect().top)
      const before = [await passwordTop(), await submitTop()]
      await page.locator('button[type=submit]').click()
      await page.getByText('Username is required').waitFor()
      assert.equal(await focusedId(page), 'username')
      assert.deepEqual([await passwordTop(), await submitTop()], before, 'the messages took space that was not reserved')
      await page.keyboard.type('test')
      await page.waitForFunction(() => !document.querySelector('#username').classList.contains('is-invalid'))
      assert.deepEqual([await passwordTop(), await submitTop()], before, 'a message going away moved the fields')
      await page.locator('button[type=submit]').click()
      await page.waitForFunction(() => document.activeElement?.id === 'password')

      await page.keyboard.type('test')
      await page.keyboard.press('Enter')
      await page.waitForURL(/#\/$/)
      await page.locator('#logout').click()
      await page.waitForURL(/#\/login/)
      await page.waitForFunction(() => document.activeElement?.id === 'username')
      // Typed at once, the name goes into Username, not Password.
      await page.keyboard.type('test')
      assert.equal(await page.locator('#username').inputValue(), 'test')
      assert.equal(await page.locator('#password').inputValue(), '')
    }),
  )

  test(
    'Settings: Esc keeps the edits, Discard leaves; Save is in view at the smallest window size',
    e2e(async (ctx) => {
      const h = await ctx.start()
      const page = await ctx.open(h, '/login')
      await logIn(page)
      await page.waitForURL(/#\/$/)
      await page.setViewportSize({ width: 640, height: 520 }) // the window's minimum
      await settingsPage(page)
      const save = page.locator('#save-settings')
      const inView = () =>
        save.evaluate((el) => {
          const r = el.getBoundingClientRect()
          return r.top >= 0 && r.bottom <= window.innerHeight
        })
      assert.equal(await inView(), true, 'Save below the fold at 640x520')

      await page.locator('#backend-remote').check()
      await page.locator('#remote-url').fill('http://127.0.0.1:9')
      assert.equal(await inView(), true, 'Save below the fold with the address open')
      await page.locator('#nav-home').click()
      await page.locator('#discard-dialog').waitFor()
      assert.equal(await focusedId(page), 'discard-dialog-cancel')
      await page.keyboard.press('Escape')
      await page.locator('#discard-dialog').waitFor({ state: 'detached' })
      assert.match(page.url(), /#\/settings/)
      assert.equal(await page.locator('#remote-url').inputValue(), 'http://127.0.0.1:9')

      await page.locator('#nav-home').click()
      await page.locator('#discard-dialog-confirm').click()
      await page.waitForURL(/#\/$/)
      await settingsPage(page)
      assert.equal(await page.locator('#backend-embedded').isChecked(), true, 'the discarded edit was saved')
    }),
  )

  test(
    'a long server address stays on one line in the login footer, with all of it on hover',
    e2e(async (ctx) => {
      const h = await ctx.start()
      const page = await ctx.open(h, '/settings')
      await page.setViewportSize({ width: 640, height: 520 })
      const long = `http://127.0.0.1:9/${'very-long-path-segment/'.repeat(6)}api`
      await page.locator('#backend-remote').check()
      await page.locator('#remote-url').fill(long)
      await page.locator('#save-settings').click()
      await page.waitForURL(/#\/login/)
      const label = page.locator('#backend-label')
      await label.waitFor()
      assert.match(await label.getAttribute('title'), new RegExp(long.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      const box = await label.evaluate((el) => ({
        lines: Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)),
        cut: el.scrollWidth > el.clientWidth,
      }))
      assert.deepEqual(box, { lines: 1, cut: true })
    }),
  )
})
