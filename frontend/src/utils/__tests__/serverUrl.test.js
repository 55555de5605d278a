import { describe, it, expect } from 'vitest'
import { URL_MESSAGES, isServerUrl, normalizeServerUrl, serverUrlProblem } from '@/utils/serverUrl'

describe('serverUrlProblem', () => {
  it('accepts http(s) addresses with a host', () => {
    for (const u of [
      'http://localhost:4000',
      'https://auth.example.org',
      ' https://auth.example.org/api/ ',
      'HTTP://127.0.0.1:9',
      'http://[::1]:4000',
      'http://localhost:',
      'http://localhost:65535/api',
    ]) {
      expect(serverUrlProblem(u), u).toBe('')
      expect(isServerUrl(u), u).toBe(true)
    }
  })

  it('says why an address is not one', () => {
    expect(serverUrlProblem('')).toBe(URL_MESSAGES.REQUIRED)
    expect(serverUrlProblem('   ')).toBe(URL_MESSAGES.REQUIRED)
    expect(serverUrlProblem(undefined)).toBe(URL_MESSAGES.REQUIRED)
    expect(serverUrlProblem('localhost:4000')).toBe(URL_MESSAGES.SCHEME)
    expect(serverUrlProblem('ftp://example.org')).toBe(URL_MESSAGES.SCHEME)
    expect(serverUrlProblem('http:example.org')).toBe(URL_MESSAGES.SCHEME)
    expect(serverUrlProblem('http://')).toBe(URL_MESSAGES.HOST)
    expect(serverUrlProblem('https:///path')).toBe(URL_MESSAGES.HOST)
    expect(serverUrlProblem('http://:4000')).toBe(URL_MESSAGES.HOST)
    expect(serverUrlProblem('http://localhost:99999')).toBe(URL_MESSAGES.PORT)
    expect(serverUrlProblem('http://localhost:0')).toBe(URL_MESSAGES.PORT)
    expect(serverUrlProblem('http://localhost:x1')).toBe(URL_MESSAGES.PORT)
    expect(serverUrlProblem('http://[::1]:70000')).toBe(URL_MESSAGES.PORT)
    expect(serverUrlProblem('http://exa mple.org')).toBe(URL_MESSAGES.INVALID)
  })
})

describe('normalizeServerUrl', () => {
  it('trims, drops trailing slashes and lower-cases scheme and host', () => {
    expect(normalizeServerUrl(' HTTP://LocalHost:4000/ ')).toBe('http://localhost:4000')
    expect(normalizeServerUrl('https://Example.org/API//')).toBe('https://example.org/API')
    expect(normalizeServerUrl('not a url')).toBe('not a url')
  })
})
