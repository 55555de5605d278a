// The saved sign-in lives in the system keyring: a real GNOME Keyring on a
// private D-Bus session (scripts/test.sh runs the e2e suite under
// backend/keyring/keyringtest/withkeyring). secret-tool, libsecret's own
// client, checks the entry from outside AuthDesk.
import { describe, test, before } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { OUTPUT, e2e, tempDataDir } from './harness.js'

// keyringEntry runs `secret-tool search` for the entry of the embedded
// backend on dataDir (an AuthDesk on a folder other than the default keys
// its entries by the folder too) and returns what it printed ('' when there
// is no entry).
function keyringEntry(dataDir) {
  const r = spawnSync('secret-tool', ['search', '--all', 'service', 'AuthDesk', 'username', `embedded@${dataDir}`], {
    encoding: 'utf8',
    timeout: 10_000,
  })
  return `${r.stdout}${r.stderr}`.trim()
}

const secretOf = (entry) => (entry.match(/^secret = (.+)$/m) || [])[1] || ''

async function logIn(page, { keep = true } = {}) {
  await page.locator('#username').fill('test')
  await page.locator('#password').fill('test')
  const box = page.locator('#keep-signed-in')
  if ((await box.isChecked()) !== keep) await box.setChecked(keep)
  await page.locator('button[type=submit]').click()
  await page.waitForURL(/#\/$/)
  await page.getByText('Hi Test!').waitFor()
}

describe('keyring', () => {
  before(() => {
    assert.ok(process.env.DBUS_SESSION_BUS_ADDRESS, 'no D-Bus session: run this through scripts/test.sh (withkeyring)')
  })

  test(
    'the sign-in goes to the keyring, survives a restart, and logout removes it',
    e2e(async (ctx) => {
      const dataDir = tempDataDir()
      const first = await ctx.start({ dataDir })
      const page = await ctx.open(first, '/login')
      assert.equal(await page.locator('#keep-signed-in').isChecked(), true, 'Keep me signed in is on by default')
      await logIn(page)
      const entry = keyringEntry(dataDir)
      assert.match(entry, /label = AuthDesk — Embedded \(offline\) \(/, `secret-tool search:\n${entry}`)
      const token = secretOf(entry)
      assert.ok(token.length > 20, 'the entry holds the refresh token')

      await page.goto(`${first.url}/#/settings`)
      await page.locator('#remember-where').waitFor()
      assert.equal(await page.locator('#remember-where').innerText(), 'Your sign-in is remembered in the system keyring.')
      await page.screenshot({ path: join(OUTPUT, 'settings-remembered-in-keyring.png') })
      await first.stop()
      assert.ok(!readFileSync(join(dataDir, 'client.db')).includes(token), "the token's bytes are in client.db")

      const second = await ctx.start({ dataDir })
      const again = await ctx.open(second, '/')
      await again.waitForURL(/#\/$/)
      await again.getByText('Hi Test!').waitFor()
      await again.locator('#logout').click()
      await again.waitForURL(/#\/login/)
      assert.equal(keyringEntry(dataDir), '', 'the keyring entry is still there after logout')
    }),
  )

  test(
    'with Keep me signed in off nothing reaches the keyring and a restart shows the login page',
    e2e(async (ctx) => {
      const dataDir = tempDataDir()
      const first = await ctx.start({ dataDir })
      const page = await ctx.open(first, '/login')
      await logIn(page, { keep: false })
      assert.equal(keyringEntry(dataDir), '', 'an entry was written with Keep me signed in off')
      await first.stop()

      const second = await ctx.start({ dataDir })
      const again = await ctx.open(second, '/')
      await again.waitForURL(/#\/login/)
      assert.equal(await again.locator('#keep-signed-in').isChecked(), false, 'the choice was not remembered')
    }),
  )
})
