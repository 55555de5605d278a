Unicode true

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

    # WebView2 draws the window; Windows 11 has it, older systems get the bootstrapper.
    !insertmacro wails.webview2runtime

    SetOutPath $INSTDIR

    !insertmacro wails.files

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
