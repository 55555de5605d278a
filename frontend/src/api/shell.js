import * as Shell from '../../wailsjs/go/app/Shell'
import { callGo } from './errors'

// Tells Go the first view is on screen (the window smoke test waits for it).
export async function ready(route) {
  await callGo(Shell.Ready, route)
}

export async function getVersion() {
  const v = await callGo(Shell.Version)
  return typeof v === 'string' ? v : ''
}
