# A 64-bit installer (AuthDesk is amd64-only anyway): it needs no 32-bit
# (WoW64) layer, so it also runs under wine64, where a 32-bit NSIS stub cannot
# start (scripts/wine-test.sh).
Target amd64-unicode

####
## AuthDesk's Windows installer, started from the project.nsi that Wails v2 generates.
##
## `make package` (scripts/package.sh) builds it with
##   go tool wails build -platform windows/amd64 -nsis ...
## Wails then writes wails_tools.nsh next to this file from its own template
## (it rewrites that file on every build, so it is not committed) and runs
## makensis here. wails_tools.nsh takes INFO_* from wails.json: product name,
## company (the publisher shown in Settings > Apps), copyright and the version,
## so wails.json stays the one place the version is written.
##
## To run makensis by hand after one such build:
##   makensis -DARG_WAILS_AMD64_BINARY=..\..\bin\authdesk.exe project.nsi
####

## Our names. Wails' defaults would be "AuthDesk.exe" and the registry key
## "AuthDeskAuthDesk"; the binary is authdesk.exe as on Linux.
!define PRODUCT_EXECUTABLE "authdesk.exe"
!define UNINST_KEY_NAME    "AuthDesk"
## Installs for every user into Program Files, so it asks for elevation.
!define REQUEST_EXECUTION_LEVEL "admin"

!include "wails_tools.nsh"

# The version information for this two must consist of 4 parts
VIProductVersion "${INFO_PRODUCTVERSION}.0"
VIFileVersion    "${INFO_PRODUCTVERSION}.0"

VIAddVersionKey "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey "FileDescription" "${INFO_PRODUCTNAME} Installer"
VIAddVersionKey "ProductVersion"  "${INFO_PRODUCTVERSION}"
VIAddVersionKey "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey "ProductName"     "${INFO_PRODUCTNAME}"

# Enable HiDPI support. https://nsis.sourceforge.io/Reference/ManifestDPIAware
ManifestDPIAware true

# LZMA over the whole archive: the installer stays well under its 8 MB budget.
SetCompressor /SOLID lzma

!include "MUI.nsh"

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_FINISHPAGE_NOAUTOCLOSE
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${PRODUCT_EXECUTABLE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${INFO_PRODUCTNAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

## Signing hooks, for when there is a certificate (%1 is the file to sign):
#!uninstfinalize 'signtool --file "%1"'
#!finalize 'signtool --file "%1"'

## WebView2, checked the way Microsoft documents it: the runtime's version
## ("pv", empty or 0.0.0.0 when absent) under EdgeUpdate's key for machine-wide
## installs, or under the user's own key. Wails' wails.webview2runtime runs the
## bootstrapper with ExecWait and carries on whatever happens; this one bounds
## the bootstrapper's run, checks again afterwards, and stops the install with
## a clear message (exit code 66) when there is still no runtime, e.g. offline.
!define WEBVIEW2_KEY "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_MISSING "${INFO_PRODUCTNAME} needs the Microsoft Edge WebView2 Runtime, and it could not be installed (is this computer offline?). Install it from https://go.microsoft.com/fwlink/p/?LinkId=2124703 and run this installer again."
# The bootstrapper downloads the runtime; nsExec ends it after ten minutes
# without output, and it writes none, so after ten minutes.
!define WEBVIEW2_TIMEOUT_MS 600000

# Puts the WebView2 version in $0 ("" when there is none).
!macro authdesk.webview2version
    SetRegView 64
    ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_KEY}" "pv"
    ${If} $0 == "0.0.0.0"
        StrCpy $0 ""
    ${EndIf}
    ${If} $0 == ""
        ReadRegStr $0 HKCU "Software\${WEBVIEW2_KEY}" "pv"
        ${If} $0 == "0.0.0.0"
            StrCpy $0 ""
        ${EndIf}
    ${EndIf}
!macroend

!macro authdesk.webview2runtime
    !insertmacro authdesk.webview2version
    ${If} $0 == ""
        SetDetailsPrint both
        DetailPrint "Installing: WebView2 Runtime"
        SetDetailsPrint listonly
        InitPluginsDir
        CreateDirectory "$pluginsdir\webview2bootstrapper"
        SetOutPath "$pluginsdir\webview2bootstrapper"
        File "tmp\MicrosoftEdgeWebview2Setup.exe"
        nsExec::Exec /TIMEOUT=${WEBVIEW2_TIMEOUT_MS} '"$pluginsdir\webview2bootstrapper\MicrosoftEdgeWebview2Setup.exe" /silent /install'
        Pop $1 # exit code, "error" (could not start) or "timeout"
        SetDetailsPrint both
        DetailPrint "WebView2 bootstrapper: $1"
        !insertmacro authdesk.webview2version
        ${If} $0 == ""
            !insertmacro authdesk.fail "${WEBVIEW2_MISSING}" 66
        ${EndIf}
    ${EndIf}
!macroend

# Stops the install with MESSAGE and exit code CODE: a message box when
# someone is watching; in a silent install (/S) the message goes to the
# standard error of whatever started the installer, and the exit code says it.
!macro authdesk.fail MESSAGE CODE
    ${If} ${Silent}
        !insertmacro authdesk.stderr "${MESSAGE}"
    ${Else}
        MessageBox MB_OK|MB_ICONSTOP "${MESSAGE}"
    ${EndIf}
    SetErrorLevel ${CODE}
    Quit
!macroend

# Writes TEXT (ASCII) and a line end to the standard error of the process that
# started the installer. A GUI program has a stderr only when it was
# redirected; otherwise attach to the parent's console, if there is one.
!macro authdesk.stderr TEXT
    Push $R0
    Push $R1
    Push $R2
    System::Call 'kernel32::GetStdHandle(i -12) p .R0'
    ${If} $R0 P= 0
    ${OrIf} $R0 P= -1
        System::Call 'kernel32::AttachConsole(i -1)'
        System::Call 'kernel32::GetStdHandle(i -12) p .R0'
    ${EndIf}
    ${If} $R0 P<> 0
    ${AndIf} $R0 P<> -1
        StrCpy $R1 "${INFO_PRODUCTNAME} installer: ${TEXT}$\r$\n"
        StrLen $R2 $R1
        System::Call 'kernel32::WriteFile(p R0, m R1, i R2, *i 0, p 0)'
    ${EndIf}
    Pop $R2
    Pop $R1
    Pop $R0
!macroend

Name "${INFO_PRODUCTNAME}"
# build/bin/AuthDesk-<version>-amd64-installer.exe
OutFile "..\..\bin\${INFO_PROJECTNAME}-${INFO_PRODUCTVERSION}-${ARCH}-installer.exe"
InstallDir "$PROGRAMFILES64\${INFO_PRODUCTNAME}"
# An earlier install's folder wins over the default, so upgrades land in place.
InstallDirRegKey HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\${UNINST_KEY_NAME}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show

Function .onInit
   !insertmacro wails.checkArchitecture
FunctionEnd

Section
    !insertmacro wails.setShellContext

    # WebView2 draws the window; Windows 11 has it, older systems get the
    # bootstrapper. Without it (offline) the install stops with a message.
    !insertmacro authdesk.webview2runtime

    SetOutPath $INSTDIR

    !insertmacro wails.files
    # The console companion (app/winconsole, built by scripts/package.sh):
    # cmd prefers authdesk.com to authdesk.exe, so `authdesk users list` in
    # a console runs the CLI and waits for it.
    File "console\authdesk.com"

    # Start menu entry (for all users, as the install is per machine).
    CreateShortcut "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}" "" "$INSTDIR\${PRODUCT_EXECUTABLE}" 0 SW_SHOWNORMAL "" "${INFO_PRODUCTNAME}: desktop login client"

    !insertmacro wails.associateFiles
    !insertmacro wails.associateCustomProtocols

    # uninstall.exe and the Settings > Apps entry (publisher, version, size, icon).
    !insertmacro wails.writeUninstaller
    SetRegView 64
    WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
    WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
    WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
SectionEnd

Section "uninstall"
    !insertmacro wails.setShellContext

    # Only what we installed: never RMDir /r the install folder (it may have
    # been pointed at a folder holding other things).
    Delete "$INSTDIR\${PRODUCT_EXECUTABLE}"
    Delete "$INSTDIR\authdesk.com"
    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk"

    !insertmacro wails.unassociateFiles
    !insertmacro wails.unassociateCustomProtocols

    !insertmacro wails.deleteUninstaller
    RMDir "$INSTDIR"

    # WebView2's cache for this program lives in the uninstalling user's
    # %AppData%\authdesk.exe (Wails' default). It holds no user data: remove it.
    # The user's AuthDesk data, %AppData%\authdesk (accounts, the saved
    # session), is deliberately kept; delete that folder by hand to forget it.
    SetShellVarContext current
    RMDir /r "$AppData\${PRODUCT_EXECUTABLE}"
SectionEnd
