; Inno Setup 6 script of CounterDesk: a per-machine install of the PyInstaller bundle.
;
;   pyinstaller --noconfirm build.spec                           (→ dist\CounterDesk\)
;   iscc /DAppVersion=0.1.0 installer\counterdesk.iss            (→ dist\CounterDesk-0.1.0-setup.exe)
;
; * Installs dist\CounterDesk\ into Program Files (per machine, needs administrator).
; * Start-menu shortcuts: the clerk workstation, the ticket kiosk (counterdesk.exe kiosk)
;   and the hall display (counterdesk.exe display); optional desktop shortcut.
; * Writes NO settings into the program folder. It creates the PC-wide settings folder
;   (C:\ProgramData\CounterDesk\CounterDesk) readable by every user of the PC and writable
;   only by administrators (icacls in [Run]), where the first-run dialog, run as an
;   administrator, saves this PC's settings (database, window, printer) once for all
;   the Windows accounts of the hall's clerks. With those PC-wide settings the SQLite
;   database and its backups live in its data folder (...\CounterDesk\data), writable
;   by the PC's users, one for every Windows account of the PC; logs stay per user.
; * Windows 10 1809 (10.0.17763) or later. Setup waits for / refuses a running copy: the
;   program holds the mutex named in AppMutex (counterdesk/platform/windows.py).
; * Optional Start-up shortcuts (all users) for a kiosk or hall-display PC; a silent
;   upgrade re-launches the kiosk / display of a PC that has them.
; * Uninstall removes the program folder only; data, settings and backups stay
;   (there is deliberately no [UninstallDelete] section). Remove them by hand if the
;   PC leaves the hall, after a last backup.
; * Silent install for IT:  CounterDesk-0.1.0-setup.exe /VERYSILENT /NORESTART
; * Speaks Simplified Chinese on a Chinese Windows (Inno Setup's own ChineseSimplified.isl:
;   official since Inno Setup 6.5; for an older compiler put its unofficial file next to
;   this script), else English. /DBundleDir=… and /DOutDir=… point it at another bundle or output folder
;   (tools/check_installer.py uses them).
; * Checked by tools/check_installer.py: compile, silent install, shortcuts, upgrade,
;   uninstall that keeps the data (natively on Windows, under Wine on Linux).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\CounterDesk"
#endif
#ifndef OutDir
  #define OutDir "..\dist"
#endif
#define AppName "CounterDesk"
#define AppExe "counterdesk.exe"

[Setup]
AppId={{6F1C2B0E-4D7A-4B8E-9C35-2E1A0C7D9B41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=CounterDesk
VersionInfoVersion={#AppVersion}
VersionInfoDescription=CounterDesk 营业厅窗口服务系统 安装程序
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutDir}
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile=..\resources\icons\counterdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
MinVersion=10.0.17763
AppMutex=CounterDeskRunning,Global\CounterDeskRunning

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimp"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "chinesesimp"; MessagesFile: "ChineseSimplified.isl"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "startupkiosk"; Description: "开机自动启动取号机 (kiosk PC)"; GroupDescription: "开机启动 Start-up:"; Flags: unchecked
Name: "startupdisplay"; Description: "开机自动启动叫号屏 (hall display PC)"; GroupDescription: "开机启动 Start-up:"; Flags: unchecked

[Dirs]
; the PC-wide settings folder, kept on uninstall like every data folder
; readable by every user, writable only by administrators (issue 23: the settings name the
; database server; the password is in each PC's credential store): see [Run] icacls
Name: "{commonappdata}\CounterDesk\CounterDesk"; Flags: uninsneveruninstall
; the PC-wide data folder: the SQLite database and backups of a PC with PC-wide settings,
; writable by the PC's users (an explicit grant, kept when icacls resets the parent)
Name: "{commonappdata}\CounterDesk\CounterDesk\data"; Permissions: users-modify; Flags: uninsneveruninstall

[InstallDelete]
; an upgrade replaces the libraries of the previous version (program folder only)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\CounterDesk 柜员工作台"; Filename: "{app}\{#AppExe}"; Comment: "CounterDesk workstation (sign-in)"
Name: "{group}\CounterDesk 取号机"; Filename: "{app}\{#AppExe}"; Parameters: "kiosk"; Comment: "CounterDesk ticket kiosk"
Name: "{group}\CounterDesk 叫号屏"; Filename: "{app}\{#AppExe}"; Parameters: "display"; Comment: "CounterDesk hall display"
Name: "{group}\CounterDesk 命令行"; Filename: "{cmd}"; Parameters: "/k ""{app}\counterdesk-cli.exe"" --help"; WorkingDir: "{app}"; Comment: "counterdesk-cli: init, user, backup, self-test"
Name: "{group}\CounterDesk 自检"; Filename: "{cmd}"; Parameters: "/k ""{app}\counterdesk-cli.exe"" self-test"; WorkingDir: "{app}"; Comment: "Check this installation"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\CounterDesk"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon
Name: "{commonstartup}\CounterDesk 取号机"; Filename: "{app}\{#AppExe}"; Parameters: "kiosk"; Tasks: startupkiosk
Name: "{commonstartup}\CounterDesk 叫号屏"; Filename: "{app}\{#AppExe}"; Parameters: "display"; Tasks: startupdisplay

[Run]
; the PC-wide settings folder: inheritance off, Administrators and SYSTEM full control,
; Users read only (ProgramData would otherwise let any user create and own a file there)
Filename: "{sys}\icacls.exe"; Parameters: """{commonappdata}\CounterDesk\CounterDesk"" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX"; Flags: runhidden waituntilterminated
; as the user who started setup, not the elevated installer: the first-run settings
; must land in that user's folders
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent runasoriginaluser
; a silent upgrade closed the kiosk / display: start them again where they start with Windows
Filename: "{app}\{#AppExe}"; Parameters: "kiosk"; Flags: nowait runasoriginaluser; Check: RelaunchAfterSilentUpgrade('CounterDesk 取号机')
Filename: "{app}\{#AppExe}"; Parameters: "display"; Flags: nowait runasoriginaluser; Check: RelaunchAfterSilentUpgrade('CounterDesk 叫号屏')

[Code]
// A silent upgrade (IT's deployment) closed the kiosk / display: start it again on a PC
// where it starts with Windows (its all-users Start-up shortcut exists).
function RelaunchAfterSilentUpgrade(Name: String): Boolean;
begin
  Result := WizardSilent and FileExists(ExpandConstant('{commonstartup}\') + Name + '.lnk');
end;
