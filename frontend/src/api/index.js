// The one door to Go. Nothing outside src/api imports from wailsjs/.
export { AppError, ERROR_CODES, toAppError } from './errors'
export { SESSION_CHANGED, SESSION_REASONS, THEME_CHANGED, MENU_NAVIGATE, MENU_ABOUT, MENU_EDIT, EDIT_COMMANDS } from './events'
export { login, logout, getSession, getLoginInfo } from './auth'
export { listUsers } from './users'
export {
  accountFeatures,
  pageUsers,
  createUser,
  updateUser,
  setUserDisabled,
  resetUserPassword,
  unlockUser,
  removeUser,
} from './accounts'
export {
  signInWithCode,
  pendingCode,
  cancelCode,
  twoStepStatus,
  beginTwoStep,
  confirmTwoStep,
  disableTwoStep,
  newRecoveryCodes,
  usersWithTwoStep,
  resetTwoStep,
} from './twostep'
export { ready, getVersion } from './shell'
export { endEarly } from './early'
export { getRemember, setKeepSignedIn, onRememberChanged, REMEMBER_LOCATIONS, REMEMBER_NOTICES } from './remember'
export { getSettings, saveSettings, checkSettings, testConnection, listBackendKinds, PROBE_STATUS } from './settings'
export { onEvent, onSessionChanged } from './runtime'
export {
  signInWithProvider,
  cancelProviderSignIn,
  testProvider,
  getProfile,
  signOutAtProvider,
  PROVIDER_PROBE_STATUS,
} from './provider'
export {
  THEMES,
  getTheme,
  setTheme,
  themeApplied,
  getLanguageSetting,
  saveLanguageSetting,
  getAbout,
  openDataFolder,
  openWebsite,
  clipboardGetText,
  clipboardSetText,
  logInfo,
} from './desktop'
export { accountInfo, changePassword, mySessions, signOutSession, signOutOtherSessions } from './account'
