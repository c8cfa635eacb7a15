<#
.SYNOPSIS
    ExternalIdp benchmarks: module import, config-file edits by size, juju calls per cmdlet,
    Test-KratosIdp against a slow IdP, and Sync-KratosIdp of a desired state.
.DESCRIPTION
    Runs against the built module (out/ExternalIdp), the fake juju (out/fakes) and the fake IdP
    (out/fakes/idp); build.ps1 Bench builds them first. Every measurement runs in a child PowerShell (a module can't be unloaded),
    warm (an untimed run first) and as the median of several runs. Writes <OutDir>/bench.json
    (figures + machine) and <OutDir>/bench.md (the tables), and prints the tables.
    Timings depend on the machine and its load: they are figures to read, not to assert.
.EXAMPLE
    dotnet pwsh -NoProfile -File ./build.ps1 Bench
.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Invoke-Bench.ps1 -ModulePath ./out/ExternalIdp -FakeJujuBin ./out/fakes -Runs 3 -Sizes 10,100,1000
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $FakeJujuBin,
    # The fake IdP (out/fakes/idp/FakeIdp.dll) for the Test-KratosIdp measurement.
    [string] $FakeIdp,
    [string] $OutDir = (Join-Path $PSScriptRoot '../out'),
    # Runs per measurement (median); config files at or above LargeFrom providers get LargeRuns.
    [int] $Runs = 7,
    [int] $LargeRuns = 3,
    [int] $LargeFrom = 10000,
    # Fresh-process starts per import variant (process start times vary a lot on a busy machine).
    [int] $ImportRuns = 11,
    # Lists may also be given as one comma-separated string (pwsh -File passes them that way).
    [string[]] $Sizes = @('10', '100', '1000', '10000'),
    [string[]] $JujuIdps = @('1', '10', '50'),
    [int] $JujuRuns = 3,
    [int] $JujuDelayMs = 200,
    # Test-KratosIdp: that many IdPs against a fake IdP answering every request after TestDelayMs.
    [int] $TestIdps = 20,
    [int] $TestDelayMs = 200,
    [int] $TestRuns = 5,
    # Desired state: Sync of DesiredSize IdPs (into a file without providers; into a file of as many where DesiredDiffer differ).
    [int] $DesiredSize = 1000,
    [int] $DesiredDiffer = 10,
    [int] $DesiredJujuIdps = 10,
    [ValidateSet('Import', 'ConfigFile', 'Juju', 'TestKratosIdp', 'DesiredState')]
    [string[]] $Only = @('Import', 'ConfigFile', 'Juju', 'TestKratosIdp', 'DesiredState')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
if (-not (Test-Path (Join-Path $ModulePath 'ExternalIdp.psd1'))) { throw "No built module in ${ModulePath}: run ./build.ps1 Build first." }
if ($FakeJujuBin) { $FakeJujuBin = (Resolve-Path -LiteralPath $FakeJujuBin).Path }
if ($FakeIdp) { $FakeIdp = (Resolve-Path -LiteralPath $FakeIdp).Path }
[int[]] $Sizes = @($Sizes -split ',' | Where-Object { $_ })
[int[]] $JujuIdps = @($JujuIdps -split ',' | Where-Object { $_ })
New-Item -ItemType Directory -Path $OutDir -Force | Out-Null
$OutDir = (Resolve-Path -LiteralPath $OutDir).Path
$scratch = Join-Path ([IO.Path]::GetTempPath()) ('externalidp-bench-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
New-Item -ItemType Directory -Path $scratch | Out-Null
$started = [DateTime]::UtcNow

function Get-MachineInfo {
    $cpu = $null
    if ($IsLinux -and (Test-Path /proc/cpuinfo)) {
        $cpu = (Select-String -Path /proc/cpuinfo -Pattern '^model name\s*:\s*(.+)$' | Select-Object -First 1).Matches.Groups[1].Value
    }
    elseif ($IsMacOS) { $cpu = (& sysctl -n machdep.cpu.brand_string 2>$null) }
    elseif ($IsWindows -or $env:OS -eq 'Windows_NT') {
        $cpu = (Get-ItemProperty 'HKLM:\HARDWARE\DESCRIPTION\System\CentralProcessor\0' -ErrorAction SilentlyContinue).ProcessorNameString
    }
    $load = if (Test-Path /proc/loadavg) { ((Get-Content /proc/loadavg -Raw) -split ' ')[0..2] -join ' ' } else { $null }
    [ordered]@{
        os             = [Runtime.InteropServices.RuntimeInformation]::OSDescription
        architecture   = [string][Runtime.InteropServices.RuntimeInformation]::OSArchitecture
        cores          = [Environment]::ProcessorCount
        cpu            = if ($cpu) { "$cpu".Trim() } else { 'unknown' }
        pwsh           = $PSVersionTable.PSVersion.ToString()
        dotnet         = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        loadAverage    = $load
        dateUtc        = $started.ToString('yyyy-MM-ddTHH:mm:ssZ')
    }
}

$report = [ordered]@{ machine = Get-MachineInfo; settings = [ordered]@{ runs = $Runs; importRuns = $ImportRuns; largeRuns = $LargeRuns; largeFrom = $LargeFrom; jujuRuns = $JujuRuns; jujuDelayMs = $JujuDelayMs; testIdps = $TestIdps; testDelayMs = $TestDelayMs; testRuns = $TestRuns } }
try {
    if ('Import' -in $Only) {
        Write-Host '==> Module import (fresh pwsh each run)' -ForegroundColor Cyan
        $empty = Join-Path $scratch 'empty.ps1'
        $import = Join-Path $scratch 'import.ps1'
        $importRef = Join-Path $scratch 'import-ref.ps1'
        # A module with nothing in it: what any Import-Module costs in a fresh pwsh (the module system's own start).
        $refModule = Join-Path $scratch 'EmptyModule/EmptyModule.psd1'
        New-Item -ItemType Directory -Path (Split-Path $refModule) | Out-Null
        Set-Content -LiteralPath $refModule -Value "@{ ModuleVersion = '1.0.0'; FunctionsToExport = @(); CmdletsToExport = @(); AliasesToExport = @(); VariablesToExport = @() }"
        Set-Content -LiteralPath $empty -Value 'exit 0'
        Set-Content -LiteralPath $import -Value ("Import-Module '{0}'; exit 0" -f ((Join-Path $ModulePath 'ExternalIdp.psd1') -replace "'", "''"))
        Set-Content -LiteralPath $importRef -Value ("Import-Module '{0}'; exit 0" -f ($refModule -replace "'", "''"))
        $bare = @(); $with = @(); $ref = @()
        # One of each untimed, then take turns so that changes in the machine's load hit all alike.
        foreach ($s in $empty, $importRef, $import) { $null = Invoke-ChildPwsh $s -Quiet }
        for ($r = 0; $r -lt $ImportRuns; $r++) {
            $bare += [Math]::Round((Invoke-ChildPwsh $empty -Quiet), 1)
            $ref += [Math]::Round((Invoke-ChildPwsh $importRef -Quiet), 1)
            $with += [Math]::Round((Invoke-ChildPwsh $import -Quiet), 1)
        }
        $detailFile = Join-Path $scratch 'import.json'
        $detailWork = Join-Path $scratch 'import-detail'
        New-Item -ItemType Directory -Path $detailWork | Out-Null
        $detailArgs = @('-ModulePath', $ModulePath, '-OutFile', $detailFile, '-WorkDir', $detailWork)
        if ($FakeJujuBin) { $detailArgs += @('-FakeJujuBin', $FakeJujuBin) }
        $null = Invoke-ChildPwsh (Join-Path $PSScriptRoot 'Measure-ImportDetail.ps1') $detailArgs
        $detail = Get-Content -LiteralPath $detailFile -Raw | ConvertFrom-Json
        $report.import = [ordered]@{
            bareStartMedianMs   = [Math]::Round((Get-Median $bare), 1)
            withImportMedianMs  = [Math]::Round((Get-Median $with), 1)
            emptyModuleImportMedianMs = [Math]::Round((Get-Median $ref), 1)
            # What importing ExternalIdp adds to a fresh pwsh, and what it adds beyond any module's import.
            importCostMs        = [Math]::Round((Get-Median $with) - (Get-Median $bare), 1)
            costBeyondEmptyModuleMs = [Math]::Round((Get-Median $with) - (Get-Median $ref), 1)
            bareStartSamplesMs  = $bare
            withImportSamplesMs = $with
            emptyModuleImportSamplesMs = $ref
            detail              = $detail
        }
    }

    if ('ConfigFile' -in $Only) {
        Write-Host '==> Config-file edits (in-process, warm)' -ForegroundColor Cyan
        $file = Join-Path $scratch 'configfile.json'
        $null = Invoke-ChildPwsh (Join-Path $PSScriptRoot 'Measure-ConfigFile.ps1') @('-ModulePath', $ModulePath, '-OutFile', $file,
            '-Sizes', ($Sizes -join ','), '-Runs', "$Runs", '-LargeRuns', "$LargeRuns", '-LargeFrom', "$LargeFrom")
        $report.configFile = @(Get-Content -LiteralPath $file -Raw | ConvertFrom-Json)
    }

    if ('Juju' -in $Only) {
        if (-not $FakeJujuBin) { throw 'The Juju benchmark needs the fake juju: give -FakeJujuBin (build.ps1 Build lays it out in out/fakes).' }
        Write-Host "==> Juju (fake juju, $JujuDelayMs ms per call; a fresh pwsh per model)" -ForegroundColor Cyan
        $report.juju = @()
        $savedPath = $env:PATH
        try {
            # FakeJuju.psm1 takes the fake from out/fakes; put that one first for the children as well.
            $env:PATH = $FakeJujuBin + [IO.Path]::PathSeparator + $savedPath
            foreach ($n in $JujuIdps) {
                $file = Join-Path $scratch "juju-$n.json"
                $null = Invoke-ChildPwsh (Join-Path $PSScriptRoot 'Measure-Juju.ps1') @('-ModulePath', $ModulePath, '-OutFile', $file,
                    '-IdpCount', "$n", '-Runs', "$JujuRuns", '-DelayMs', "$JujuDelayMs")
                $report.juju += (Get-Content -LiteralPath $file -Raw | ConvertFrom-Json)
            }
        }
        finally { $env:PATH = $savedPath }
    }

    if ('DesiredState' -in $Only) {
        Write-Host "==> Desired state (Sync-KratosIdp of $DesiredSize IdPs, in-process, warm$(if ($FakeJujuBin) { "; a $DesiredJujuIdps-IdP fake Juju model" }))" -ForegroundColor Cyan
        $file = Join-Path $scratch 'desired-state.json'
        $savedPath = $env:PATH
        try {
            if ($FakeJujuBin) { $env:PATH = $FakeJujuBin + [IO.Path]::PathSeparator + $savedPath }
            $null = Invoke-ChildPwsh (Join-Path $PSScriptRoot 'Measure-DesiredState.ps1') @('-ModulePath', $ModulePath, '-OutFile', $file,
                '-Size', "$DesiredSize", '-Differ', "$DesiredDiffer", '-Runs', "$Runs", '-JujuIdps', "$(if ($FakeJujuBin) { $DesiredJujuIdps } else { 0 })", '-DelayMs', "$JujuDelayMs")
        }
        finally { $env:PATH = $savedPath }
        $report.desiredState = Get-Content -LiteralPath $file -Raw | ConvertFrom-Json
    }

    if ('TestKratosIdp' -in $Only) {
        if (-not $FakeIdp) { throw 'The Test-KratosIdp benchmark needs the fake IdP: give -FakeIdp (build.ps1 Build lays it out in out/fakes/idp).' }
        Write-Host "==> Test-KratosIdp ($TestIdps IdPs, fake IdP answering after $TestDelayMs ms)" -ForegroundColor Cyan
        $file = Join-Path $scratch 'test-kratosidp.json'
        $work = Join-Path $scratch 'test-kratosidp'
        New-Item -ItemType Directory -Path $work | Out-Null
        $null = Invoke-ChildPwsh (Join-Path $PSScriptRoot 'Measure-TestKratosIdp.ps1') @('-ModulePath', $ModulePath, '-FakeIdp', $FakeIdp,
            '-OutFile', $file, '-WorkDir', $work, '-IdpCount', "$TestIdps", '-Runs', "$TestRuns", '-DelayMs', "$TestDelayMs")
        $report.testKratosIdp = Get-Content -LiteralPath $file -Raw | ConvertFrom-Json
    }
}
finally {
    Remove-Item -LiteralPath $scratch -Recurse -Force -ErrorAction SilentlyContinue
}
$report.durationSec = [Math]::Round(([DateTime]::UtcNow - $started).TotalSeconds, 0)
if (Test-Path /proc/loadavg) { $report.machine.loadAverageAtEnd = ((Get-Content /proc/loadavg -Raw) -split ' ')[0..2] -join ' ' }

# ---------------------------------------------------------------- tables
$m = $report.machine
$lines = [Collections.Generic.List[string]]::new()
$lines.Add("Machine: $($m.os), $($m.architecture), $($m.cores) cores ($($m.cpu)), PowerShell $($m.pwsh), $($m.dotnet); $($m.dateUtc)$(if ($m.loadAverage) { "; load average $($m.loadAverage) at start, $($m.loadAverageAtEnd) at the end" })")
$lines.Add('')
if ($report.Contains('import')) {
    $i = $report.import
    $lines.Add("Module import (fresh pwsh -NoProfile -NonInteractive -File, median of $ImportRuns starts each; the in-process figures from one more fresh process):")
    $lines.Add('')
    $lines.Add('| pwsh start | pwsh start + Import-Module of an empty module | pwsh start + Import-Module ExternalIdp | ExternalIdp beyond the empty module | Import-Module ExternalIdp as first command (in-process) | loaded at import | juju calls at import | then first Get-KratosIdp | then first Add-KratosIdp |')
    $lines.Add('|---:|---:|---:|---:|---:|---|---:|---:|---:|')
    $lines.Add(('| {0:N0} ms | {1:N0} ms | {2:N0} ms | {3:N0} ms | {4:N0} ms | {5} | {6} | {7:N0} ms | {8:N0} ms |' -f $i.bareStartMedianMs, $i.emptyModuleImportMedianMs, $i.withImportMedianMs,
            $i.costBeyondEmptyModuleMs, $i.detail.importFirstCommandMs, ($i.detail.assembliesLoadedByImport -join ', '), $i.detail.jujuCallsAtImport,
            $i.detail.firstGetKratosIdpMs, $i.detail.firstAddKratosIdpMs))
    $lines.Add('')
}
if ($report.Contains('configFile')) {
    $lines.Add("Config-file edits through the cmdlets (warm, in-process; median ms, best run in brackets; then the median per 1,000 providers):")
    $lines.Add('')
    $lines.Add('| providers | file size | runs | Add | Set | Get (all) | Remove | per 1,000 providers: Add / Set / Get / Remove |')
    $lines.Add('|---:|---:|---:|---:|---:|---:|---:|---:|')
    foreach ($r in $report.configFile) {
        $cells = foreach ($op in 'Add', 'Set', 'Get', 'Remove') { '{0:N1} ({1:N1})' -f $r.$op.medianMs, $r.$op.minMs }
        $per = @(foreach ($op in 'Add', 'Set', 'Get', 'Remove') { '{0:N1}' -f $r.$op.msPer1000Providers }) -join ' / '
        $lines.Add(('| {0:N0} | {1:N0} KB | {2} | {3} | {4} |' -f $r.providers, ($r.fileBytes / 1KB), $r.runs, ($cells -join ' | '), $per))
    }
    $lines.Add('')
}
if ($report.Contains('juju')) {
    $lines.Add("Juju (fake juju; juju calls per cmdlet, and wall time with $JujuDelayMs ms per juju call, median of $JujuRuns):")
    $lines.Add('')
    $header = '| cmdlet |' + (($report.juju | ForEach-Object { " $($_.idps) IdP$(if ($_.idps -ne 1) { 's' }) |" }) -join '')
    $lines.Add($header)
    $lines.Add('|---|' + ('---:|' * @($report.juju).Count))
    foreach ($name in $report.juju[0].cmdlets.cmdlet) {
        $cells = foreach ($j in $report.juju) {
            $c = $j.cmdlets | Where-Object cmdlet -eq $name
            '{0} call{1}, {2:N0} ms' -f $c.jujuCalls, $(if ($c.jujuCalls -eq 1) { '' } else { 's' }), $c.medianMs
        }
        $lines.Add("| $name | $($cells -join ' | ') |")
    }
    $bareCells = ($report.juju | ForEach-Object { '{0:N0} ms' -f $_.bareJujuCallMs }) -join ' | '
    $lines.Add("| (one bare ``juju status`` call) | $bareCells |")
    $version = @($report.juju | ForEach-Object { $_.cmdlets } | Where-Object { $_.versionCalls -gt 0 } | ForEach-Object cmdlet | Select-Object -Unique)
    $lines.Add('')
    $lines.Add("``juju version`` is asked once per process and juju executable (here by the first cmdlet that needs it: $($version -join ', ')); it is not counted above.")
    $lines.Add('')
}
if ($report.Contains('testKratosIdp')) {
    $t = $report.testKratosIdp
    $lines.Add("Test-KratosIdp (config file of $($t.idps) generic IdPs; the fake IdP answers each request after $($t.delayMs) ms; $($t.requestsPerIdp) requests per IdP; median of $($t.runs)):")
    $lines.Add('')
    $lines.Add('| IdPs | wall time | compared with one IdP |')
    $lines.Add('|---:|---:|---:|')
    $lines.Add(('| 1 | {0:N0} ms | 1.00 x |' -f $t.oneIdpMedianMs))
    $lines.Add(('| {0} | {1:N0} ms | {2:N2} x |' -f $t.idps, $t.allIdpsMedianMs, $t.allOverOne))
    $lines.Add(('| {0}, -Offline | {1:N0} ms | |' -f $t.idps, $t.allOfflineMedianMs))
    $lines.Add('')
}
if ($report.Contains('desiredState')) {
    $d = $report.desiredState
    $lines.Add("Sync-KratosIdp of a desired-state file (warm, in-process; median of $($d.runs) runs; reads and writes of the config file as the Sync reports them, renames onto the file as the file system saw them):")
    $lines.Add('')
    $lines.Add('| Sync | wall time | file reads | file writes | renames onto the file |')
    $lines.Add('|---|---:|---:|---:|---:|')
    $lines.Add(('| {0:N0} desired IdPs into a config file without providers | {1:N0} ms | {2} | {3} | {4} |' -f $d.size, $d.intoEmpty.medianMs, $d.intoEmpty.reads, $d.intoEmpty.writes, $d.intoEmpty.renamesSeen))
    $lines.Add(('| {0:N0} desired IdPs into a {0:N0}-provider file ({1:N0} KB) where {2} differ | {3:N0} ms | {4} | {5} | {6} |' -f $d.size, ($d.tenDiffer.fileBytes / 1KB), $d.differ, $d.tenDiffer.medianMs, $d.tenDiffer.reads, $d.tenDiffer.writes, $d.tenDiffer.renamesSeen))
    $lines.Add(('| the same {0:N0} IdPs again: nothing to do | {1:N0} ms | {2} | {3} | {4} |' -f $d.size, $d.nothingToDo.medianMs, $d.nothingToDo.reads, $d.nothingToDo.writes, $d.nothingToDo.renamesSeen))
    $lines.Add(('| (Compare-KratosIdp of the {0:N0} IdPs, in sync) | {1:N0} ms | 1 | 0 | |' -f $d.size, $d.compareInSync.medianMs))
    $lines.Add('')
    if ($d.PSObject.Properties['jujuNothingToDo']) {
        $j = $d.jujuNothingToDo
        $lines.Add(('Juju, Sync-KratosIdp -Prune with nothing to do on a {0}-IdP model (fake juju, {1} ms per call): {2} juju calls ({3}), {4:N0} ms; Get-KratosIdp of the same model: {5:N0} ms.' -f $j.idps, $j.delayMs, $j.jujuCalls, ($j.commands -join ', '), $j.medianMs, $j.getMedianMs))
        $lines.Add('')
    }
}
$lines.Add("Total benchmark time: $($report.durationSec) s.")
$table = $lines -join [Environment]::NewLine

ConvertTo-Json -InputObject $report -Depth 8 | Set-Content -LiteralPath (Join-Path $OutDir 'bench.json') -Encoding utf8
Set-Content -LiteralPath (Join-Path $OutDir 'bench.md') -Value $table -Encoding utf8
Write-Host ''
Write-Host $table
Write-Host ''
Write-Host "Wrote $(Join-Path $OutDir 'bench.json') and $(Join-Path $OutDir 'bench.md')."
