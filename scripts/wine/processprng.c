/*
 * Test-only stand-in for Windows' bcryptprimitives.dll, for Wine 8.0
 * (Debian 12), which has none. Go 1.24 and later take their randomness from
 * bcryptprimitives.dll's ProcessPrng and stop at start ("fatal error:
 * bcryptprimitives.dll not found") without it. This exports ProcessPrng on
 * top of advapi32's RtlGenRandom (SystemFunction036), which Wine has.
 *
 * scripts/wine-test.sh builds it with Debian's gcc-mingw-w64-x86-64 into the
 * throw-away Wine prefix's system32. It is never part of AuthDesk's installer:
 * real Windows (10 and later) has the real DLL.
 */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE; /* like Windows' own: it does not fail */
}
