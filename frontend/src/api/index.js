// The one door to Go. Nothing outside src/api imports from wailsjs/.
export { AppError, ERROR_CODES, toAppError } from './errors'
export { SESSION_CHANGED, SESSION_REASONS } from './events'
export { login, logout, getSession, getLoginInfo } from './auth'
export { listUsers } from './users'
export { ready, getVersion } from './shell'
export { getSettings, saveSettings, checkSettings, testConnection, listBackendKinds, PROBE_STATUS } from './settings'
export { onEvent, onSessionChanged } from './runtime'
