<#
.SYNOPSIS
    Builds the module and runs its main job on examples/kratos.yml: adds Google as an identity
    provider to a temporary copy, then prints the new IdP and the redirect URI to register at Google.
.EXAMPLE
    dotnet tool restore && dotnet pwsh -NoProfile -File ./examples/demo.ps1
#>
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent

# 1. Build the module into out/ExternalIdp (in a child process, so this one loads a finished module).
& dotnet pwsh -NoProfile -File (Join-Path $root 'build.ps1') Build | Out-Host
if ($LASTEXITCODE -ne 0) { throw "The build failed (exit code $LASTEXITCODE)." }
Import-Module (Join-Path $root 'out/ExternalIdp/ExternalIdp.psd1') -Force

# 2. Work on a temporary copy of the example config, never on the example itself.
$work = Join-Path ([IO.Path]::GetTempPath()) ("externalidp-demo-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
New-Item -ItemType Directory -Path $work | Out-Null
$config = Join-Path $work 'kratos.yml'
Copy-Item (Join-Path $root 'examples/kratos.yml') $config

# 3. Add Google. The secret is a SecureString: in real use, Read-Host -AsSecureString or Get-Secret.
$secret = ConvertTo-SecureString -String 'demo-client-secret' -AsPlainText -Force
$idp = Add-KratosIdp google -ConfigPath $config -Provider google `
    -ClientId '1234567890-demo.apps.googleusercontent.com' -ClientSecret $secret

# 4. Show what was added and the callback URI to register in the Google Cloud console.
Write-Host "`nAdded to $config :" -ForegroundColor Cyan
$idp | Format-List Name, ProviderId, Provider, Label, ClientId, HasClientSecret, Scope, Enabled, Status | Out-Host
Write-Host 'Identity providers in the file now:' -ForegroundColor Cyan
Get-KratosIdp -ConfigPath $config | Format-Table | Out-Host
Write-Host 'Redirect URI to register at Google:' -ForegroundColor Cyan
(Get-KratosRedirectUri google -ConfigPath $config).RedirectUri
Write-Host "`nThe edited copy stays in $work for you to look at (diff it against examples/kratos.yml)." -ForegroundColor Cyan
