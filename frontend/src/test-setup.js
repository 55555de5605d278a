// Components mounted in unit tests get the same i18n plugin as the app, in
// English, so assertions can read the English text.
import { config } from '@vue/test-utils'
import { i18n } from '@/i18n'

i18n.global.locale.value = 'en'
config.global.plugins.push(i18n)
