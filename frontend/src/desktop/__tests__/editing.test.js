import { describe, it, expect, vi, beforeEach } from 'vitest'
import { installEditKeys, runEditCommand } from '@/desktop/editing'

function clipboard(initial = '') {
  const c = { text: initial }
  return { c, getText: vi.fn(async () => c.text), setText: vi.fn(async (t) => ((c.text = t), true)) }
}

function ctrlA(target) {
  const e = new KeyboardEvent('keydown', { key: 'a', ctrlKey: true, bubbles: true, cancelable: true })
  target.dispatchEvent(e)
  return e
}

beforeEach(() => {
  document.body.innerHTML = `
    <p id="text">Some page text</p>
    <input id="user" type="text" value="hello world" />
    <input id="pw" type="password" value="secret" />
    <button id="btn">Go</button>`
})

describe('Ctrl+A', () => {
  it('selects nothing of the page outside a field, and stays the field\'s own inside one', () => {
    const stop = installEditKeys()
    document.getElementById('btn').focus()
    expect(ctrlA(document.getElementById('btn')).defaultPrevented).toBe(true)

    const user = document.getElementById('user')
    user.focus()
    expect(ctrlA(user).defaultPrevented).toBe(false) // the field selects its text natively
    stop()
    document.getElementById('btn').focus()
    expect(ctrlA(document.getElementById('btn')).defaultPrevented).toBe(false)
  })
})

describe('Edit menu commands', () => {
  it('Select all selects the focused field only', async () => {
    const user = document.getElementById('user')
    user.focus()
    await runEditCommand('selectAll', clipboard())
    expect([user.selectionStart, user.selectionEnd]).toEqual([0, 11])
  })

  it('Copy and Cut put the selection on the clipboard; Cut removes it', async () => {
    const cb = clipboard()
    const user = document.getElementById('user')
    user.focus()
    user.setSelectionRange(0, 5)
    await runEditCommand('copy', cb)
    expect(cb.c.text).toBe('hello')
    expect(user.value).toBe('hello world')
    user.setSelectionRange(5, 11)
    await runEditCommand('cut', cb)
    expect(cb.c.text).toBe(' world')
    expect(user.value).toBe('hello')
  })

  it('Paste inserts the clipboard at the caret and tells Vue', async () => {
    const user = document.getElementById('user')
    const input = vi.fn()
    user.addEventListener('input', input)
    user.focus()
    user.setSelectionRange(5, 5)
    await runEditCommand('paste', clipboard(', dear'))
    expect(user.value).toBe('hello, dear world')
    expect(input).toHaveBeenCalled()
  })

  it('never copies a password out, and pastes nowhere without a field', async () => {
    const cb = clipboard('x')
    const pw = document.getElementById('pw')
    pw.focus()
    pw.select()
    await runEditCommand('copy', cb)
    await runEditCommand('cut', cb)
    expect(cb.setText).not.toHaveBeenCalled()
    expect(pw.value).toBe('secret')

    document.getElementById('btn').focus()
    await runEditCommand('paste', cb)
    expect(cb.getText).not.toHaveBeenCalled()
  })

  it('cuts and pastes the range chosen, even if the caret moved while the clipboard answered', async () => {
    const user = document.getElementById('user')
    user.focus()
    user.setSelectionRange(0, 6) // "hello "
    const cb = clipboard()
    cb.setText.mockImplementation(async (t) => {
      cb.c.text = t
      user.setSelectionRange(11, 11) // the focus came back from the menu: caret at the end
    })
    await runEditCommand('cut', cb)
    expect(cb.c.text).toBe('hello ')
    expect(user.value).toBe('world')

    user.setSelectionRange(5, 5)
    cb.getText.mockImplementation(async () => {
      user.setSelectionRange(0, 0)
      return '!'
    })
    await runEditCommand('paste', cb)
    expect(user.value).toBe('world!')
  })
})
