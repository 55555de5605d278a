// Two-step sign-in in a real browser against the real frontend build: set it
// up (the test reads the key from the page and computes codes as an
// authenticator app would), sign in with a code, with a recovery code, refuse
// a wrong code, turn it off; and the same sign-in against `authdesk serve` in
// remote mode.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { join } from 'node:path'
import QRCode from 'qrcode'
import { OUTPUT, e2e, tempDataDir } from './harness.js'

// totp is RFC 6238 with the parameters AuthDesk uses (SHA-1, 6 digits, 30 s),
// for the time step `steps` away from now.
function totp(secret, steps = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const ch of secret.replace(/=+$/, '').toUpperCase()) {
    const v = alphabet.indexOf(ch)
    if (v < 0) throw new Error(`not base32: ${ch}`)
    bits += v.toString(2).padStart(5, '0')
  }
  const key = Buffer.alloc(Math.floor(bits.length / 8))
  for (let i = 0; i < key.length; i++) key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2)
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + steps))
  const mac = createHmac('sha1', key).update(counter).digest()
  const off = mac[mac.length - 1] & 0x0f
  const n = (mac.readUInt32BE(off) & 0x7fffffff) % 1_000_000
  return String(n).padStart(6, '0')
}

// A well-formed code that none of the accepted steps shows.
function wrongCode(secret) {
  const near = [-1, 0, 1, 2].map((s) => totp(secret, s))
  return ['000000', '111111', '222222', '333333', '444444'].find((c) => !near.includes(c))
}

async function password(page, username, pass) {
  await page.locator('#username').fill(username)
  await page.locator('#password').fill(pass)
  await page.locator('button[type=submit]').click()
}

async function code(page, value) {
  await page.locator('#mfa-code').fill(value)
  await page.locator('#mfa-submit').click()
}

async function home(page) {
  await page.waitForURL(/#\/$/)
  await page.getByText('Hi Test!').waitFor()
}

async function logOut(page) {
  await page.locator('#logout').click()
  await page.waitForURL(/#\/login/)
}

// enrol turns two-step sign-in on for the signed-in test user through the
// page and returns the key and the recovery codes.
async function enrol(page, screenshot) {
  await page.locator('#nav-two-step').click()
  await page.waitForURL(/#\/account\/two-step/)
  assert.match(await page.locator('#twostep-status').innerText(), /off/)
  await page.locator('#twostep-begin').click()
  const qr = page.locator('#twostep-qr')
  await qr.waitFor()
  await page.waitForFunction(() => document.querySelector('#twostep-qr').naturalWidth > 0)
  assert.match(await qr.getAttribute('src'), /^data:image\/png;base64,/)
  const secret = (await page.locator('#twostep-secret').innerText()).trim()
  assert.match(secret, /^[A-Z2-7]{32}$/)
  if (screenshot) await page.screenshot({ path: join(OUTPUT, screenshot) })
  // The QR code carries the otpauth:// URI of the key shown as text, issuer
  // AuthDesk: read its modules off the image and compare them with that
  // URI's QR code.
  const uri = `otpauth://totp/AuthDesk:test?algorithm=SHA1&digits=6&issuer=AuthDesk&period=30&secret=${secret}`
  const want = QRCode.create(uri, { errorCorrectionLevel: 'M' }).modules
  const got = await page.evaluate(
    ({ size, margin }) => {
      const img = document.querySelector('#twostep-qr')
      const c = document.createElement('canvas')
      c.width = img.naturalWidth
      c.height = img.naturalHeight
      const g = c.getContext('2d')
      g.drawImage(img, 0, 0)
      const scale = img.naturalWidth / (size + 2 * margin)
      const out = []
      for (let r = 0; r < size; r++) {
        for (let col = 0; col < size; col++) {
          const px = g.getImageData(Math.floor((margin + col + 0.5) * scale), Math.floor((margin + r + 0.5) * scale), 1, 1).data
          out.push(px[0] < 128 ? 1 : 0)
        }
      }
      return out
    },
    { size: want.size, margin: 2 },
  )
  assert.deepEqual(got, Array.from(want.data), 'the QR code does not carry the shown key')

  // A wrong code first: refused, and the set-up is still there.
  await page.locator('#twostep-code').fill(wrongCode(secret))
  await page.locator('#twostep-confirm').click()
  await page.locator('#twostep-error').waitFor()
  assert.match(await page.locator('#twostep-error').innerText(), /not correct/)
  await page.locator('#twostep-code').fill(totp(secret))
  await page.locator('#twostep-confirm').click()
  const list = page.locator('#twostep-recovery-codes li')
  await list.first().waitFor()
  const recovery = await list.allInnerTexts()
  assert.equal(recovery.length, 10)
  for (const c of recovery) assert.match(c, /^[0-9a-z]{5}-[0-9a-z]{5}$/)
  await page.locator('#twostep-copy').click()
  await page.getByText('Copied').waitFor()
  assert.equal(await page.evaluate(() => window.__harness.clipboard), recovery.join('\n'))
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#twostep-save').click()])
  assert.equal(download.suggestedFilename(), 'authdesk-recovery-codes.txt')
  await page.locator('#twostep-done').click()
  assert.match(await page.locator('#twostep-status').innerText(), /on/)
  assert.match(await page.locator('#twostep-codes-left').innerText(), /10 recovery codes left/)
  return { secret, recovery }
}

describe('two-step sign-in', () => {
  test(
    'set up, sign in with a code and with a recovery code, refuse a wrong code, turn it off',
    e2e(async (ctx) => {
      const h = await ctx.start()
      const page = await ctx.open(h, '/login')
      await password(page, 'test', 'test')
      await home(page)
      const { secret, recovery } = await enrol(page, 'twostep-qr.png')
      await logOut(page)

      // The password alone is not enough now.
      await password(page, 'test', 'test')
      await page.locator('#mfa-code').waitFor()
      assert.match(await page.locator('#mfa-until').innerText(), /\d{1,2}:\d{2}:\d{2}/)
      assert.match(page.url(), /#\/login/)
      await page.screenshot({ path: join(OUTPUT, 'twostep-code-step.png') })
      // A wrong code: an error, and the step stays.
      await code(page, wrongCode(secret))
      await page.locator('#mfa-error').waitFor()
      assert.match(await page.locator('#mfa-error').innerText(), /not correct/)
      // The next step's code (the one used to confirm cannot be used again).
      await code(page, totp(secret, 1))
      await home(page)
      await logOut(page)

      // A recovery code, typed in capitals without the hyphen.
      await password(page, 'test', 'test')
      await code(page, recovery[0].replace('-', '').toUpperCase())
      await home(page)
      await logOut(page)
      // The same recovery code again: refused.
      await password(page, 'test', 'test')
      await code(page, recovery[0])
      await page.locator('#mfa-error').waitFor()
      assert.match(await page.locator('#mfa-error').innerText(), /not correct/)
      // Back to the password form, then in with another recovery code.
      await page.locator('#mfa-back').click()
      await password(page, 'test', 'test')
      await code(page, recovery[1])
      await home(page)

      // Turn it off (with a recovery code: no waiting for the next 30 s step).
      await page.locator('#nav-two-step').click()
      assert.match(await page.locator('#twostep-codes-left').innerText(), /8 recovery codes left/)
      await page.locator('#twostep-code').fill(wrongCode(secret))
      await page.locator('#twostep-disable').click()
      await page.locator('#twostep-error').waitFor()
      await page.locator('#twostep-code').fill(recovery[2])
      await page.locator('#twostep-disable').click()
      await page.locator('#twostep-notice').waitFor()
      assert.match(await page.locator('#twostep-status').innerText(), /off/)
      await logOut(page)
      await password(page, 'test', 'test')
      await home(page)
    }),
  )

  test(
    'remote mode: the code step against authdesk serve',
    e2e(async (ctx) => {
      // Set it up in the embedded backend of a folder that serve then offers.
      const apiData = tempDataDir()
      const a = await ctx.start({ dataDir: apiData })
      const setupPage = await ctx.open(a, '/login')
      await password(setupPage, 'test', 'test')
      await home(setupPage)
      const { secret, recovery } = await enrol(setupPage)
      await a.stop()

      const api = await ctx.serve({ dataDir: apiData })
      const h = await ctx.start({ dataDir: tempDataDir() })
      const page = await ctx.open(h, '/settings')
      await page.locator('#backend-remote').check()
      await page.locator('#remote-url').fill(api.url)
      await page.locator('#save-settings').click()
      await page.waitForURL(/#\/login/)
      await page.getByText(api.url).first().waitFor()

      await password(page, 'test', 'test')
      await page.locator('#mfa-code').waitFor()
      await api.waitForLog(/path=\/users\/authenticate status=200/)
      await code(page, wrongCode(secret))
      await page.locator('#mfa-error').waitFor()
      assert.match(await page.locator('#mfa-error').innerText(), /not correct/)
      await code(page, totp(secret, 1))
      await home(page)
      await api.waitForLog(/path=\/users\/authenticate\/mfa status=200/)
      // Remote mode offers no set-up page (serve has no management routes).
      assert.equal(await page.locator('#nav-two-step').count(), 0)
      await logOut(page)
      await password(page, 'test', 'test')
      await code(page, recovery[5])
      await home(page)
    }),
  )
})
