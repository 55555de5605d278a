// Editing commands on the focused field, for the keyboard and the Edit menu.
//
// The web view handles Ctrl+C, Ctrl+V and the rest in a field by itself. Two
// things are added: Ctrl+A (Cmd+A) outside a field selects nothing instead of
// the whole page's text, as in a desktop app; and the Edit menu's items
// (which reach the page as commands from Go) act on the focused field. The
// clipboard is reached through Go: the web view gives scripts no clipboard
// access of their own.

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'url', 'tel', 'email', 'password', 'number', ''])

export function isTextField(el) {
  if (!el || !el.tagName) return false
  if (el.isContentEditable) return true
  if (el.tagName === 'TEXTAREA') return !el.disabled
  if (el.tagName !== 'INPUT') return false
  return TEXT_INPUT_TYPES.has((el.getAttribute('type') || '').toLowerCase()) && !el.disabled
}

function isSecret(el) {
  return el?.tagName === 'INPUT' && (el.getAttribute('type') || '').toLowerCase() === 'password'
}

function selectedText(el, doc) {
  if (el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA')) {
    const start = el.selectionStart ?? 0
    const end = el.selectionEnd ?? 0
    return el.value.slice(start, end)
  }
  return doc.getSelection?.()?.toString() || ''
}

// Puts text in place of start..end of the field, through the editor when it
// can (so Undo takes it back), and tells Vue the value changed. The range is
// set again first: the focus coming back from the menu may have moved it
// while the clipboard was being asked.
function replaceRange(el, start, end, text, doc) {
  if (typeof el.setSelectionRange === 'function' && start !== null && end !== null) {
    el.setSelectionRange(start, end)
  }
  const command = text ? 'insertText' : 'delete'
  if (start !== end || text) {
    if (typeof doc.execCommand === 'function' && doc.execCommand(command, false, text)) return
  }
  if (typeof el.setRangeText === 'function') {
    el.setRangeText(text, start ?? el.value.length, end ?? el.value.length, 'end')
    el.dispatchEvent(new Event('input', { bubbles: true }))
  }
}

function range(el) {
  if (!el || (el.tagName !== 'INPUT' && el.tagName !== 'TEXTAREA')) return [null, null]
  return [el.selectionStart ?? null, el.selectionEnd ?? null]
}

// Runs one of 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll' on the
// focused field. clipboard: { getText(): Promise<string>, setText(t): Promise }.
export async function runEditCommand(command, clipboard, doc = document) {
  const el = doc.activeElement
  const field = isTextField(el) ? el : null
  const [start, end] = range(field)
  switch (command) {
    case 'undo':
    case 'redo':
      if (field) doc.execCommand?.(command)
      return
    case 'selectAll':
      if (field && typeof field.select === 'function') field.select()
      return
    case 'copy':
    case 'cut': {
      if (isSecret(field)) return // a password is never copied out
      const text = selectedText(field, doc)
      if (!text) return
      await clipboard.setText(text)
      if (command === 'cut' && field && !field.readOnly && start !== null) replaceRange(field, start, end, '', doc)
      return
    }
    case 'paste': {
      if (!field || field.readOnly) return
      const text = await clipboard.getText()
      if (text && start !== null) replaceRange(field, start, end, text, doc)
      return
    }
  }
}

// Ctrl+A / Cmd+A: the focused field's text, never the whole page.
export function onSelectAllKey(event, doc = document) {
  const key = typeof event.key === 'string' ? event.key.toLowerCase() : ''
  if (key !== 'a' || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return
  if (isTextField(doc.activeElement)) return // the field selects its own text
  event.preventDefault()
}

export function installEditKeys(doc = document) {
  const handler = (e) => onSelectAllKey(e, doc)
  doc.addEventListener('keydown', handler, true)
  return () => doc.removeEventListener('keydown', handler, true)
}
