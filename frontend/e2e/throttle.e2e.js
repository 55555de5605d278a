// Throttling as a person sees it: in remote mode against `authdesk serve`,
// whose per-address bucket refuses a burst of sign-ins with 429 and
// Retry-After; the login page counts down with the button disabled.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { OUTPUT, SERVED_PASSWORD, e2e, servedFolder } from './harness.js'

async function attempt(page, password) {
  await page.locator('#username').fill('test')
  await page.locator('#password').fill(password)
  await page.locator('button[type=submit]').click()
}

describe('throttling', () => {
  test(
    'too many sign-ins: a live countdown, the button disabled until 0, then signing in works',
    e2e(async (ctx) => {
      // Two attempts at once, then one every 5 s.
      const api = await ctx.serve({ dataDir: servedFolder(), args: ['--login-rate', '2/10s'] })
      const h = await ctx.start()
      const page = await ctx.open(h, '/settings')
      await page.locator('#backend-remote').check()
      await page.locator('#remote-url').fill(api.url)
      await page.locator('#save-settings').click()
      await page.waitForURL(/#\/login/)

      const error = page.locator('.alert-danger')
      for (let i = 0; i < 2; i++) {
        await attempt(page, 'wrong-password')
        await error.waitFor()
        assert.equal((await error.innerText()).trim(), 'Username or password is incorrect')
        await page.locator('button[type=submit]:not([disabled])').waitFor()
      }

      // The third is refused by the server's bucket, even with the right password.
      await attempt(page, SERVED_PASSWORD)
      const notice = page.locator('#retry-notice')
      await notice.waitFor()
      const seconds = async () => Number((await notice.innerText()).match(/^Too many attempts, try again in (\d+) s$/)?.[1])
      const first = await seconds()
      assert.ok(first >= 1 && first <= 5, `countdown starts at ${first}`)
      assert.equal(await page.locator('button[type=submit]').isDisabled(), true)
      await page.screenshot({ path: join(OUTPUT, 'login-throttled.png') })
      await api.waitForLog(/path=\/users\/authenticate status=429/)

      // It counts down live ...
      if (first > 1) {
        await page.waitForFunction(
          (n) => Number(document.querySelector('#retry-notice')?.innerText.match(/in (\d+) s/)?.[1]) < n,
          first,
          { timeout: 3000 },
        )
      }
      // ... and at 0 the notice goes and the button comes back.
      await notice.waitFor({ state: 'detached', timeout: 8000 })
      assert.equal(await page.locator('button[type=submit]').isDisabled(), false)
      await page.locator('button[type=submit]').click()
      await page.waitForURL(/#\/$/)
      await page.getByText('Hi Test!').waitFor()
    }),
  )
})
