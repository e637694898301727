; Inno Setup script for hmip-desktop on Windows: a per-user install that needs no administrator.
;
; Targets Inno Setup 6.3 or later (6.3 introduced the x64compatible architecture identifier;
; {autopf}, {autoprograms}, HKA and PrivilegesRequired=lowest date from 6.0). Every section
; and directive here was checked against the Inno Setup 6 help (jrsoftware.org/ishelp).
;
; Build on Windows, from the repository's top folder (Python 3.11+, x64):
;   py -3.11 -m venv build\package-venv
;   build\package-venv\Scripts\python -m pip install .[package]
;   build\package-venv\Scripts\pyinstaller --noconfirm --clean --workpath build\pyinstaller --distpath dist build.spec
;   dist\hmip-desktop\hmip-desktop-cli.exe --self-test
;   iscc /DAppVersion=0.1.0 installer\windows\hmip-desktop.iss
; which writes dist\hmip-desktop-0.1.0-windows-x64-setup.exe.
;
; What it does:
; - installs dist\hmip-desktop\ (the one-folder PyInstaller build: hmip-desktop.exe, windowed,
;   and hmip-desktop-cli.exe, its console twin for the command line and --self-test) into
;   {autopf}\hmip-desktop, which for a per-user install is %LOCALAPPDATA%\Programs\hmip-desktop;
; - adds a Start-menu entry;
; - associates .hmippack, .hmipb, .hmiprcpt and .hmipid with the app, for this user only
;   (HKA is HKCU\Software\Classes in a non-administrative install);
; - its uninstaller removes the app and the associations but leaves the workspaces in
;   %LOCALAPPDATA%\hmip-desktop (hmip_desktop/paths.py: platformdirs' user data folder), unless
;   the user answers Yes to a question that defaults to No. A silent uninstall never deletes them.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "hmip-desktop"
#define AppExe "hmip-desktop.exe"
#define Dist "..\..\dist"

[Setup]
; AppId identifies the app to Windows' uninstall list and to later upgrades: never change it.
AppId={{6F0C2B7E-3D5A-4C1E-9B8F-2A7D4E6C9B31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=HM Inspectorate of Probation
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
SetupIconFile=..\..\build\icons\hmip-desktop.ico
OutputDir={#Dist}
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; Workspaces must be local (the app refuses network shares); so must the program.
AllowNetworkDrive=no
AllowUNCPath=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{#Dist}\hmip-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Offline case assessment for HM Inspectorate of Probation inspections"

[Registry]
; One ProgID per kind of file, each opening with the app (it is imported from the window).
; The extension keys only list the ProgID under OpenWithProgids and are never deleted whole,
; so another program's claim on an extension survives our uninstall.
Root: HKA; Subkey: "Software\Classes\.hmippack\OpenWithProgids"; ValueType: string; ValueName: "hmipdesktop.pack"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\hmipdesktop.pack"; ValueType: string; ValueName: ""; ValueData: "hmip-desktop assignment pack"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\hmipdesktop.pack\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\hmipdesktop.pack\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

Root: HKA; Subkey: "Software\Classes\.hmipb\OpenWithProgids"; ValueType: string; ValueName: "hmipdesktop.bundle"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\hmipdesktop.bundle"; ValueType: string; ValueName: ""; ValueData: "hmip-desktop assessment bundle"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\hmipdesktop.bundle\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\hmipdesktop.bundle\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

Root: HKA; Subkey: "Software\Classes\.hmiprcpt\OpenWithProgids"; ValueType: string; ValueName: "hmipdesktop.receipt"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\hmipdesktop.receipt"; ValueType: string; ValueName: ""; ValueData: "hmip-desktop receipt"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\hmipdesktop.receipt\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\hmipdesktop.receipt\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

Root: HKA; Subkey: "Software\Classes\.hmipid\OpenWithProgids"; ValueType: string; ValueName: "hmipdesktop.card"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\hmipdesktop.card"; ValueType: string; ValueName: ""; ValueData: "hmip-desktop member card"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\hmipdesktop.card\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\hmipdesktop.card\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
const
  WorkspacesFolder = '{localappdata}\hmip-desktop';

{ After the app itself is removed: keep the workspaces unless the user asks for them to go. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Folder: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  Folder := ExpandConstant(WorkspacesFolder);
  if UninstallSilent() or not DirExists(Folder) then
    Exit;
  if SuppressibleMsgBox(
       'hmip-desktop has been removed. Your workspaces are still in:' + #13#10 + #13#10 +
       Folder + #13#10 + #13#10 +
       'They hold inspection work that may not have reached the lead yet. ' +
       'Keep them unless you are sure they are no longer needed.' + #13#10 + #13#10 +
       'Delete the workspaces as well? This cannot be undone.',
       mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES then
  begin
    if not DelTree(Folder, True, True, True) then
      SuppressibleMsgBox('Some files in ' + Folder + ' could not be deleted ' +
                         '(is hmip-desktop still open?). Delete the folder yourself.',
                         mbError, MB_OK, IDOK);
  end;
end;
