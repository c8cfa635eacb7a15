<#
.SYNOPSIS
    Desired-state benchmark: Sync-KratosIdp of 1,000 desired IdPs into a config file without providers,
    into a 1,000-provider file where 10 differ, and with nothing to do; reads and writes of the file per
    Sync; Compare-KratosIdp of the same; and (with the fake juju) a Sync with nothing to do on a Juju
    model of JujuIdps integrators: its juju calls and wall time with DelayMs per juju call. Warm,
    in this (fresh) process, median of several runs. Writes JSON.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutFile,
    [int] $Size = 1000,
    [int] $Differ = 10,
    [int] $Runs = 7,
    [int] $WarmupRounds = 20,
    # 0: no Juju measurement (no fake juju).
    [int] $JujuIdps = 10,
    [int] $DelayMs = 200
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
Import-Module (Join-Path $ModulePath 'ExternalIdp.psd1') -Force

$work = Join-Path ([IO.Path]::GetTempPath()) ('externalidp-bench-ds-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
New-Item -ItemType Directory -Path $work | Out-Null
$secret = @{ bench = (ConvertTo-SecureString -String 'bench-client-secret-0123456789' -AsPlainText -Force) }

function New-EmptyConfig([string] $Path) {
    # The benchmark config of BenchCommon with its providers cut out: no providers key at all.
    $ids = New-BenchKratosConfig -Path $Path -Count 0
    $text = [IO.File]::ReadAllText($Path) -replace '(?m)^    oidc:\n      enabled: true\n      config:\n        providers:\n\n', ''
    [IO.File]::WriteAllText($Path, $text)
}

function Write-Desired([string] $Path, [int] $Count, [string] $Prefix = 'ds') {
    $sb = [Text.StringBuilder]::new("version: 1`nidps:`n")
    for ($i = 1; $i -le $Count; $i++) {
        $n = '{0:D5}' -f $i
        $null = $sb.Append("  $Prefix-${n}:`n    provider: generic`n    label: Corp SSO $n`n    client_id: corp-client-$n`n    client_secret: bench`n    issuer_url: https://sso$n.corp.example.com/realms/main`n    scope: [openid, email, profile]`n")
    }
    [IO.File]::WriteAllText($Path, $sb.ToString())
}

function Invoke-Sync([string] $Desired, [string] $Config) {
    # One Sync; returns @{ Ms; Reads; Writes; Renames } (reads and writes as the Sync reports them; renames onto the file as the file system saw them).
    $watcher = [IO.FileSystemWatcher]::new((Split-Path $Config), '*')
    $watcher.NotifyFilter = [IO.NotifyFilters]::FileName
    $leaf = Split-Path $Config -Leaf
    $seen = [hashtable]::Synchronized(@{ Leaf = $leaf; Renames = 0 })
    $handler = Register-ObjectEvent -InputObject $watcher -EventName Renamed -MessageData $seen -Action {
        if ($EventArgs.Name -eq $Event.MessageData.Leaf) { $Event.MessageData.Renames++ }
    }
    $watcher.EnableRaisingEvents = $true
    try {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $verbose = Sync-KratosIdp $Desired -ConfigPath $Config -Secret $secret -Verbose 4>&1
        $sw.Stop()
        Start-Sleep -Milliseconds 200
        $line = @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'was read (\S+ ?\S*) and written (\S+ ?\S*) by this Sync' })[-1].Message
        $null = $line -match 'was read (.+) and written (.+) by this Sync'
        $count = { param($t) switch ($t) { 'no time' { 0 } 'once' { 1 } 'twice' { 2 } default { [int]($t -replace ' times', '') } } }
        @{ Ms = [Math]::Round($sw.Elapsed.TotalMilliseconds, 1); Reads = & $count $Matches[1]; Writes = & $count $Matches[2]; Renames = $seen.Renames }
    }
    finally {
        $watcher.EnableRaisingEvents = $false
        Unregister-Event -SourceIdentifier $handler.Name
        $watcher.Dispose()
    }
}

$result = [ordered]@{ size = $Size; differ = $Differ; runs = $Runs }
try {
    # Warm-up on small files: the code runs JIT-optimised, as in a long-lived session.
    $warmDesired = Join-Path $work 'warm.yml'
    Write-Desired $warmDesired 50
    for ($r = 0; $r -lt $WarmupRounds; $r++) {
        $c = Join-Path $work "warm-$r.yml"
        New-EmptyConfig $c
        $null = Sync-KratosIdp $warmDesired -ConfigPath $c -Secret $secret
        $null = Sync-KratosIdp $warmDesired -ConfigPath $c -Secret $secret
        $null = Compare-KratosIdp $warmDesired -ConfigPath $c -Secret $secret
        Remove-Item $c, "$c.lock" -ErrorAction SilentlyContinue
    }
    Start-Sleep -Milliseconds 500

    # 1. 1,000 desired IdPs into a config file without providers.
    $desired = Join-Path $work 'desired.yml'
    Write-Desired $desired $Size
    $empty = @(); $emptyIo = $null
    for ($r = 0; $r -le $Runs; $r++) {
        $c = Join-Path $work "empty-$r.yml"
        New-EmptyConfig $c
        $m = Invoke-Sync $desired $c
        if (@(Get-KratosIdp -ConfigPath $c).Count -ne $Size) { throw "The Sync into an empty file did not add $Size IdPs." }
        if ($r -gt 0) { $empty += $m.Ms }
        $emptyIo = $m
        # The same Sync again: nothing to do.
        if ($r -eq $Runs) {
            $noop = @(for ($k = 0; $k -lt $Runs; $k++) { Invoke-Sync $desired $c })
            $compare = @(for ($k = 0; $k -lt $Runs; $k++) { Measure-Ms { Compare-KratosIdp $desired -ConfigPath $c -Secret $secret } })
        }
        Remove-Item $c, "$c.lock" -ErrorAction SilentlyContinue
    }
    $result.intoEmpty = [ordered]@{ medianMs = Get-Median $empty; samplesMs = $empty; reads = $emptyIo.Reads; writes = $emptyIo.Writes; renamesSeen = $emptyIo.Renames }
    $result.nothingToDo = [ordered]@{ medianMs = Get-Median @($noop.Ms); samplesMs = @($noop.Ms); reads = $noop[-1].Reads; writes = $noop[-1].Writes; renamesSeen = $noop[-1].Renames }
    $result.compareInSync = [ordered]@{ medianMs = Get-Median $compare; samplesMs = $compare }

    # 2. A 1,000-provider file, its own export as the desired state with 10 labels changed.
    $source = Join-Path $work 'big.yml'
    $ids = New-BenchKratosConfig -Path $source -Count $Size
    $exported = Join-Path $work 'big-desired.yml'
    Export-KratosIdp $exported -ConfigPath $source
    $text = [IO.File]::ReadAllText($exported)
    $step = [Math]::Floor($Size / $Differ)
    for ($k = 0; $k -lt $Differ; $k++) {
        $id = $ids[$k * $step]
        $text = [regex]::Replace($text, "(?m)^(  $([regex]::Escape($id)):\n(?:    .*\n)*?    label: ).*$", "`${1}Changed label $k", 'None', [TimeSpan]::FromSeconds(10))
    }
    [IO.File]::WriteAllText($exported, $text)
    $changed = @(); $differIo = $null
    for ($r = 0; $r -le $Runs; $r++) {
        $c = Join-Path $work "big-$r.yml"
        Copy-Item $source $c
        $diffs = @(Compare-KratosIdp $exported -ConfigPath $c)
        if ($diffs.Count -ne $Differ) { throw "Compare found $($diffs.Count) differences, expected $Differ." }
        $m = Invoke-Sync $exported $c
        if ($r -gt 0) { $changed += $m.Ms }
        $differIo = $m
        if (@(Compare-KratosIdp $exported -ConfigPath $c).Count -ne 0) { throw 'The Sync left differences.' }
        Remove-Item $c, "$c.lock" -ErrorAction SilentlyContinue
    }
    $result.tenDiffer = [ordered]@{ medianMs = Get-Median $changed; samplesMs = $changed; reads = $differIo.Reads; writes = $differIo.Writes; renamesSeen = $differIo.Renames; fileBytes = (Get-Item $source).Length }

    # 3. Juju: a Sync with nothing to do on a model of JujuIdps integrators.
    if ($JujuIdps -gt 0) {
        Import-Module (Join-Path $PSScriptRoot '../tests/fakes/FakeJuju.psm1') -Force
        $fake = New-FakeJujuModel -Idps $JujuIdps
        try {
            $jujuDesired = Join-Path $work 'iam.yml'
            Export-KratosIdp $jujuDesired
            $null = Get-KratosIdp
            Clear-FakeJujuLog $fake
            Sync-KratosIdp $jujuDesired -Prune
            $calls = @(Get-FakeJujuCall $fake -IncludeVersion)
            $env:FAKE_JUJU_DELAY_MS = "$DelayMs"
            $null = Sync-KratosIdp $jujuDesired -Prune
            $jt = @(for ($k = 0; $k -lt 3; $k++) { Measure-Ms { Sync-KratosIdp $jujuDesired -Prune } })
            $get = @(for ($k = 0; $k -lt 3; $k++) { Measure-Ms { Get-KratosIdp } })
        }
        finally {
            $env:FAKE_JUJU_DELAY_MS = $null
            Remove-FakeJujuModel $fake
        }
        $result.jujuNothingToDo = [ordered]@{
            idps = $JujuIdps; delayMs = $DelayMs
            jujuCalls = @($calls | Where-Object Command -ne 'version').Count
            commands = @($calls | ForEach-Object Command)
            medianMs = Get-Median $jt; samplesMs = $jt
            getMedianMs = Get-Median $get
        }
    }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
Write-Host ('  Sync {0} IdPs into a file without providers: {1:N0} ms ({2} read, {3} write)' -f $Size, $result.intoEmpty.medianMs, $result.intoEmpty.reads, $result.intoEmpty.writes)
Write-Host ('  Sync into a {0}-provider file, {1} differ:   {2:N0} ms ({3} read, {4} write)' -f $Size, $Differ, $result.tenDiffer.medianMs, $result.tenDiffer.reads, $result.tenDiffer.writes)
Write-Host ('  Sync with nothing to do ({0} IdPs):          {1:N0} ms ({2} read, {3} write)' -f $Size, $result.nothingToDo.medianMs, $result.nothingToDo.reads, $result.nothingToDo.writes)
if ($result.Contains('jujuNothingToDo')) { Write-Host ('  Juju, {0} IdPs, nothing to do: {1} juju calls ({2}), {3:N0} ms at {4} ms per call' -f $JujuIdps, $result.jujuNothingToDo.jujuCalls, ($result.jujuNothingToDo.commands -join ', '), $result.jujuNothingToDo.medianMs, $DelayMs) }
ConvertTo-Json -InputObject $result -Depth 6 | Set-Content -LiteralPath $OutFile -Encoding utf8
