import { computed, onBeforeUnmount, ref, watch } from 'vue'
import { useSettingsStore } from '@/stores/settings'

// How long typing must pause before Go is asked about the address.
export const CHECK_DELAY_MS = 400

// The Settings form's server address. Go has the one address rule
// (Settings.Check): this asks it after a pause in typing, at once when the
// backend choice changes or the field is left, and keeps only the answer
// about what the form holds now. A problem is shown once the field was left
// or the form submitted, and from then on as the address changes.
//
// form: a reactive { backend, remoteUrl }; needsAddress: a ref, true when the
// chosen kind of backend talks to a server; providerOf (optional) returns the
// OpenID provider's fields { issuer, clientId, scopes } when the chosen kind
// has one, else null.
export function useServerAddress(form, needsAddress, providerOf = () => null) {
  const store = useSettingsStore()
  const shown = ref(false)
  let timer = null

  const current = () => {
    const f = { backend: form.backend, remoteUrl: (form.remoteUrl || '').trim() }
    const p = providerOf()
    if (p) f.provider = { issuer: p.issuer || '', clientId: p.clientId || '', scopes: p.scopes || '' }
    return f
  }
  const keyOf = (f) =>
    `${f.backend}\n${f.remoteUrl}` + (f.provider ? `\n${f.provider.issuer}\n${f.provider.clientId}\n${f.provider.scopes}` : '')
  const key = computed(() => keyOf(current()))

  // Go's answer about the form as it is now, or null while one is pending.
  const check = computed(() => {
    const c = store.formCheck
    return c && c.key === key.value ? c : null
  })
  const error = computed(() =>
    needsAddress.value && shown.value && check.value && !check.value.ok ? check.value.message : '',
  )
  const warning = computed(() => (needsAddress.value && check.value?.ok ? check.value.warning : ''))

  function stopTimer() {
    if (timer) clearTimeout(timer)
    timer = null
  }

  // Resolves to Go's answer about the form as it is now.
  async function checkNow() {
    stopTimer()
    if (check.value) return check.value
    const f = current()
    const answer = await store.check(f, keyOf(f))
    return answer && answer.key === key.value ? answer : null
  }

  function schedule(delay) {
    stopTimer()
    timer = setTimeout(() => {
      timer = null
      checkNow()
    }, delay)
  }

  watch(
    () => form.remoteUrl,
    () => schedule(CHECK_DELAY_MS),
  )
  watch(
    () => form.backend,
    () => checkNow(),
  )
  watch(
    () => {
      const p = providerOf()
      return p ? `${p.issuer}\n${p.clientId}\n${p.scopes}` : ''
    },
    () => schedule(CHECK_DELAY_MS),
  )
  onBeforeUnmount(stopTimer)

  // The field was left: show what is wrong with it.
  function touch() {
    shown.value = true
    return checkNow()
  }

  // Forget that the field was touched (the form was refilled).
  function reset() {
    shown.value = false
    stopTimer()
  }

  return { check, error, warning, checkNow, touch, reset }
}
