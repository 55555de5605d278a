// Components mounted in unit tests get the same i18n plugin as the app, in
// English, so assertions can read the English text (German is loaded too,
// for the tests that switch).
import { config } from '@vue/test-utils'
import { i18n, loadLanguage } from '@/i18n'

await Promise.all([loadLanguage('en'), loadLanguage('de')])
i18n.global.locale.value = 'en'
config.global.plugins.push(i18n)
