# Puts the fake juju (tests/fakes/FakeJuju) in front of PATH for this PowerShell process, with a
# fresh model state, and reads back what it was asked. See README.md beside this file.

$script:FakeRoot = $PSScriptRoot
$script:Project = Join-Path $PSScriptRoot 'FakeJuju'
$script:ExeName = if ($IsWindows -or $env:OS -eq 'Windows_NT') { 'juju.exe' } else { 'juju' }
$script:Controls = 'FAKE_JUJU_STATE', 'FAKE_JUJU_LOG', 'FAKE_JUJU_SEED', 'FAKE_JUJU_SEED_IDPS', 'FAKE_JUJU_VERSION',
    'FAKE_JUJU_DELAY_MS', 'FAKE_JUJU_FAIL', 'FAKE_JUJU_HANG', 'FAKE_JUJU_REGISTER', 'FAKE_JUJU_CONFINEMENT', 'FAKE_JUJU_KRATOS_VERSION'

function Get-FakeJujuBinDirectory {
    <# The folder of the built fake juju; builds it when it is missing. #>
    [CmdletBinding()]
    param([string] $Configuration = 'Debug')
    # build.ps1 lays the fake out in out/fakes: use that one when it is there.
    $laidOut = Join-Path $script:FakeRoot '../../out/fakes'
    if (Test-Path (Join-Path $laidOut $script:ExeName)) { return (Resolve-Path $laidOut).Path }
    $bin = Join-Path $script:Project "bin/$Configuration/net10.0"
    if (-not (Test-Path (Join-Path $bin $script:ExeName))) {
        & dotnet build $script:Project -c $Configuration -v q -nologo | Out-Null
        if (-not (Test-Path (Join-Path $bin $script:ExeName))) { throw "The fake juju could not be built into $bin." }
    }
    (Resolve-Path $bin).Path
}

function New-FakeJujuModel {
    <#
    .SYNOPSIS
    A fresh fake Juju model: the fake juju first on PATH and FAKE_JUJU_* set for this process.
    -Snap puts a copy of the fake in a folder whose path holds /snap/ (as /snap/bin/juju does), -Confined
    switches on the snap's strict confinement (FAKE_JUJU_CONFINEMENT=strict); with either, HOME is a
    folder of the model's own (Home). Undo with Remove-FakeJujuModel.
    #>
    [CmdletBinding()]
    param(
        [ValidateSet('kratos2', 'kratos1', 'nokratos')] [string] $Seed = 'kratos2',
        [int] $Idps = 0,
        [string] $Version,
        # The workload version juju status shows for kratos ('none' for none); default: the seed's.
        [string] $KratosVersion,
        [switch] $Snap,
        [switch] $Confined,
        [string] $Configuration = 'Debug'
    )
    $bin = Get-FakeJujuBinDirectory -Configuration $Configuration
    if ($Version -or $Snap) {
        # A juju of another version is another executable: ExternalIdp asks `juju version` once per
        # executable path in a process, so each version gets its own copy of the fake; so does the snap.
        $name = 'fakejuju-bin-' + $(if ($Version) { $Version -replace '[^0-9A-Za-z.]', '-' } else { 'default' })
        $copy = Join-Path ([IO.Path]::GetTempPath()) $name
        if ($Snap) { $copy = Join-Path $copy 'snap/bin' }
        $source = Get-Item (Join-Path $bin 'juju.dll')
        $copied = Get-Item (Join-Path $copy 'juju.dll') -ErrorAction SilentlyContinue
        if (-not $copied -or $copied.LastWriteTimeUtc -ne $source.LastWriteTimeUtc) {
            New-Item -ItemType Directory -Path $copy -Force | Out-Null
            Copy-Item -Path (Join-Path $bin '*') -Destination $copy -Recurse -Force
        }
        $bin = $copy
    }
    $root = Join-Path ([IO.Path]::GetTempPath()) ('fakejuju-' + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory -Path $root | Out-Null
    $previous = @{ PATH = $env:PATH; HOME = $env:HOME }
    foreach ($name in $script:Controls) { $previous[$name] = [Environment]::GetEnvironmentVariable($name) }
    foreach ($name in $script:Controls) { [Environment]::SetEnvironmentVariable($name, $null) }
    $env:PATH = $bin + [IO.Path]::PathSeparator + $env:PATH
    $env:FAKE_JUJU_STATE = Join-Path $root 'state.json'
    $env:FAKE_JUJU_LOG = Join-Path $root 'juju.log'
    $env:FAKE_JUJU_SEED = $Seed
    $env:FAKE_JUJU_SEED_IDPS = "$Idps"
    if ($Version) { $env:FAKE_JUJU_VERSION = $Version }
    if ($KratosVersion) { $env:FAKE_JUJU_KRATOS_VERSION = $KratosVersion }
    if ($Confined) { $env:FAKE_JUJU_CONFINEMENT = 'strict' }
    $home_ = $null
    if ($Snap -or $Confined) {
        $home_ = Join-Path $root 'home'
        New-Item -ItemType Directory -Path $home_ | Out-Null
        $env:HOME = $home_
    }
    [pscustomobject]@{
        PSTypeName = 'FakeJujuModel'
        Root       = $root
        StatePath  = $env:FAKE_JUJU_STATE
        LogPath    = $env:FAKE_JUJU_LOG
        BinDirectory = $bin
        Home       = $home_
        Previous   = $previous
    }
}

function Remove-FakeJujuModel {
    <# Restores PATH and FAKE_JUJU_* as they were, and deletes the model's folder. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Model)
    foreach ($kv in $Model.Previous.GetEnumerator()) { [Environment]::SetEnvironmentVariable($kv.Key, $kv.Value) }
    Remove-Item -LiteralPath $Model.Root -Recurse -Force -ErrorAction SilentlyContinue
}

function Get-FakeJujuCall {
    <# The logged invocations: objects with Argv (string[]), Command and Files. -IncludeVersion keeps `juju version`. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Model, [switch] $IncludeVersion)
    if (-not (Test-Path $Model.LogPath)) { return }
    foreach ($line in [IO.File]::ReadAllLines($Model.LogPath)) {
        if (-not $line.Trim()) { continue }
        $entry = $line | ConvertFrom-Json
        $argv = [string[]]@($entry.argv)
        if (-not $IncludeVersion -and $argv[0] -eq 'version') { continue }
        [pscustomobject]@{ Command = $argv[0]; Argv = $argv; Files = @($entry.files | Where-Object { $_ }) }
    }
}

function Clear-FakeJujuLog {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Model)
    Remove-Item -LiteralPath $Model.LogPath -ErrorAction SilentlyContinue
}

function Invoke-FakeJuju {
    <# Runs the fake juju directly (to arrange or inspect the model), without logging the call. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Model, [Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $log = $env:FAKE_JUJU_LOG
    $env:FAKE_JUJU_LOG = $null
    try { & (Join-Path $Model.BinDirectory $script:ExeName) @Arguments }
    finally { $env:FAKE_JUJU_LOG = $log }
}

function Get-FakeJujuApplication {
    <# An application of the model's state (Charm, Channel, Config, Registration), or $null. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Model, [Parameter(Mandatory)] [string] $Name)
    $state = Get-Content -Raw -LiteralPath $Model.StatePath | ConvertFrom-Json
    $m = @($state.Models.PSObject.Properties)[0].Value
    $m.Applications.PSObject.Properties | Where-Object Name -eq $Name | ForEach-Object Value
}

function Test-FakeJujuRelated {
    <# Whether the application is related to kratos (or -To) in the model's state. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Model, [Parameter(Mandatory)] [string] $Name, [string] $To = 'kratos')
    $state = Get-Content -Raw -LiteralPath $Model.StatePath | ConvertFrom-Json
    $m = @($state.Models.PSObject.Properties)[0].Value
    [bool](@($m.Relations) | Where-Object { ($_.A -eq $Name -and $_.B -eq $To) -or ($_.B -eq $Name -and $_.A -eq $To) })
}

Export-ModuleMember -Function Get-FakeJujuBinDirectory, New-FakeJujuModel, Remove-FakeJujuModel, Get-FakeJujuCall,
    Clear-FakeJujuLog, Invoke-FakeJuju, Get-FakeJujuApplication, Test-FakeJujuRelated
