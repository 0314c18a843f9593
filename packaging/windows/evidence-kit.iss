; Inno Setup script for the Windows build (build\dist\evidence-kit from packaging\evidence-kit.spec).
; Per-user install (no administrator rights), Start-menu shortcuts for the program and for
; "Check a bundle" (the offline browser verifier), and an uninstaller that removes the program
; only: the vault lives in the user's data folder (%LOCALAPPDATA%\EvidenceKit) and is never touched.
; Built by the hosted CI (.github/workflows/package.yml): iscc /DAppVersion=0.1.0 packaging\windows\evidence-kit.iss
; Not run on the Linux build machine.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{5B0E6F0A-3C1D-4C7E-9E0B-6A1D3E5C0F17}
AppName=Evidence Kit
AppVersion={#AppVersion}
AppPublisher=The Evidence Kit developers
DefaultDirName={localappdata}\Programs\Evidence Kit
DefaultGroupName=Evidence Kit
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DisableProgramGroupPage=yes
OutputDir=..\..\build\package
OutputBaseFilename=evidence-kit-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible
ArchitecturesAllowed=x64compatible
UninstallDisplayName=Evidence Kit (your vault is kept)
UninstallDisplayIcon={app}\evidence-kit-gui.exe

[Files]
Source: "..\..\build\dist\evidence-kit\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Evidence Kit"; Filename: "{app}\evidence-kit-gui.exe"
Name: "{group}\Check a bundle"; Filename: "{app}\evidence-kit-verify.html"; Comment: "Check a sealed evidence bundle in your web browser, offline"
Name: "{group}\Uninstall Evidence Kit"; Filename: "{uninstallexe}"

[Run]
Filename: "{app}\evidence-kit-gui.exe"; Description: "Start Evidence Kit"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself wrote into its own folder. The vault (%LOCALAPPDATA%\EvidenceKit)
; is deliberately not listed: evidence is never removed by an uninstaller.
Type: filesandordirs; Name: "{app}\_internal"

[Messages]
UninstalledAll=Evidence Kit was removed from your computer. Your vault (your evidence) was kept; it is in %LOCALAPPDATA%\EvidenceKit.
