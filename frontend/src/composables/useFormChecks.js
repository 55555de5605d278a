import { computed, reactive, ref, watch } from 'vue'
import { useI18n } from 'vue-i18n'

// useFormChecks is the login form's validation: each field has a check that
// returns a message key when the value is not acceptable ('' when it is).
// A field is checked when the form is submitted; once its message shows, it
// is checked again as it changes, so the message goes as soon as it is fixed
// (leaving an empty field is not a mistake yet). Messages are kept as keys
// and said in the language shown, so switching language re-words them.
//
// It replaces a form library on the first page, which had to load and run
// before the page could paint (see `make bench`).
export function useFormChecks(checks) {
  const { t } = useI18n()
  const names = Object.keys(checks)
  const values = reactive(Object.fromEntries(names.map((n) => [n, ''])))
  const failed = reactive(Object.fromEntries(names.map((n) => [n, ''])))
  const isSubmitting = ref(false)

  function check(name) {
    failed[name] = checks[name](values[name]) || ''
    return failed[name] === ''
  }
  for (const name of names) {
    watch(
      () => values[name],
      () => {
        if (failed[name]) check(name)
      },
    )
  }

  // Field name to its message in the UI's language; '' when it has none.
  const errors = computed(() => Object.fromEntries(names.map((n) => [n, failed[n] ? t(failed[n]) : ''])))

  // handleSubmit returns the form's submit handler: onValid(values) runs when
  // every check passes (isSubmitting is true until it settles), otherwise
  // onInvalid({ errors }) with the failing fields.
  function handleSubmit(onValid, onInvalid) {
    return async (event) => {
      event?.preventDefault?.()
      if (isSubmitting.value) return
      const bad = names.filter((n) => !check(n))
      if (bad.length > 0) {
        onInvalid?.({ errors: Object.fromEntries(bad.map((n) => [n, errors.value[n]])) })
        return
      }
      isSubmitting.value = true
      try {
        await onValid({ ...values })
      } finally {
        isSubmitting.value = false
      }
    }
  }

  return { values, errors, handleSubmit, isSubmitting }
}
