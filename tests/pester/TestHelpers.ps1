# Shared helpers of the Pester suites. Dot-source in BeforeAll: . $PSScriptRoot/TestHelpers.ps1

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModulePath = if ($env:EXTERNALIDP_MODULE_PATH) { $env:EXTERNALIDP_MODULE_PATH } else { Join-Path $script:RepoRoot 'out/ExternalIdp' }
if (-not (Test-Path (Join-Path $script:ModulePath 'ExternalIdp.psd1'))) {
    throw "The module is not built at $script:ModulePath: run ./build.ps1 Build first."
}
Import-Module (Join-Path $script:ModulePath 'ExternalIdp.psd1') -Force

# The client secret used in the suites: distinctive, so any leak is found by a plain search.
$script:SecretText = 'Zq7-SECRET-do-not-leak-4f1c9a'
$script:Secret = ConvertTo-SecureString -String $script:SecretText -AsPlainText -Force

$script:BaseConfig = @'
# Kratos configuration used by the ExternalIdp tests.
version: v1.3.0

dsn: memory

serve:
  public:
    base_url: https://auth.example.com/
    cors:
      enabled: true
  admin:
    base_url: http://kratos:4434/

selfservice:
  default_browser_return_url: https://app.example.com/
  methods:
    password:
      enabled: true
    oidc:
      enabled: false
      config:
        providers:
          # GitHub sign-in for staff
          - id: github
            provider: github
            client_id: gh-client
            client_secret: gh-secret-in-file
            mapper_url: file:///etc/config/kratos/oidc.github.jsonnet
            scope:
              - user:email

identity:
  default_schema_id: default
  schemas:
    - id: default
      url: file:///etc/config/kratos/identity.schema.json
'@

function New-KratosConfig {
    <# Writes a config file into TestDrive and returns its full path. #>
    param([string] $Content = $script:BaseConfig, [string] $Name = 'kratos.yml')
    $dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('n').Substring(0, 8))
    New-Item -ItemType Directory -Path $dir | Out-Null
    $path = Join-Path $dir $Name
    [IO.File]::WriteAllText($path, $Content.Replace("`r`n", "`n"))
    $path
}

function Get-FileSha {
    param([string] $Path)
    (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash
}

function Get-CmdletError {
    <# Runs the script block with ErrorActionPreference Stop and returns the first error (or $null). #>
    # The parameter name is unusual on purpose: the script block runs in this scope's child and
    # would otherwise see this parameter instead of its caller's variable of the same name.
    param([scriptblock] $__GetCmdletErrorBlock)
    $ErrorActionPreference = 'Stop'
    try { $null = & $__GetCmdletErrorBlock } catch { return $_ }
    return $null
}

function Get-ErrorId {
    param($ErrorRecord)
    if ($null -eq $ErrorRecord) { return $null }
    ($ErrorRecord.FullyQualifiedErrorId -split ',')[0]
}

function Get-Sha1Hex {
    param([string] $Text)
    $sha = [System.Security.Cryptography.SHA1]::Create()
    try { -join ($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($Text)) | ForEach-Object { $_.ToString('x2') }) }
    finally { $sha.Dispose() }
}

function Get-PwshInvocation {
    <# How to start a child PowerShell like this one: @{ File = ...; Prefix = @(...) }. #>
    $self = (Get-Process -Id $PID).Path
    $name = [IO.Path]::GetFileNameWithoutExtension($self)
    if ($name -eq 'dotnet') { return @{ File = $self; Prefix = @((Join-Path $PSHOME 'pwsh.dll')) } }
    @{ File = $self; Prefix = @() }
}

function Invoke-ChildPwsh {
    <# Runs a script in a child pwsh -NoProfile -NonInteractive with no standard input; returns @{ Output; ExitCode }. #>
    param([string] $Script, [int] $TimeoutSec = 120)
    $how = Get-PwshInvocation
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
    $psi = [System.Diagnostics.ProcessStartInfo]::new($how.File)
    foreach ($a in $how.Prefix + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $psi.UseShellExecute = $false
    $p = [System.Diagnostics.Process]::Start($psi)
    $p.StandardInput.Close()
    $stdout = $p.StandardOutput.ReadToEndAsync()
    $stderr = $p.StandardError.ReadToEndAsync()
    if (-not $p.WaitForExit($TimeoutSec * 1000)) {
        $p.Kill($true)
        throw "The child PowerShell did not finish within $TimeoutSec s (a prompt would do that)."
    }
    $p.WaitForExit()
    @{ Output = $stdout.Result + $stderr.Result; ExitCode = $p.ExitCode }
}
