<#
.SYNOPSIS
    Config-file benchmark: Add, Set, Get and Remove through the cmdlets on kratos.yml files holding
    10 ... 10,000 providers, in this (fresh) process, warm (WarmupRounds on a small file, then one
    untimed round per size), median of several runs. Writes JSON.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutFile,
    # Comma-separated (this script runs with -File, which passes every argument as one string).
    [string] $Sizes = '10,100,1000,10000',
    [int] $Runs = 7,
    # Sizes at or above this many providers get LargeRuns runs (each edit reads the whole file).
    [int] $LargeFrom = 10000,
    [int] $LargeRuns = 3,
    # Untimed rounds on a 100-provider file first, so that the code runs JIT-optimised as in a
    # long-lived session: .NET recompiles a method optimised after about 30 calls, in the background,
    # and loops that ran only a few times per call on a tiny file would still be unoptimised. Cold
    # first calls are measured separately.
    [int] $WarmupRounds = 60
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
Import-Module (Join-Path $ModulePath 'ExternalIdp.psd1') -Force

$work = Join-Path ([IO.Path]::GetTempPath()) ('externalidp-bench-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
New-Item -ItemType Directory -Path $work | Out-Null
$secret = ConvertTo-SecureString -String 'bench-client-secret-0123456789' -AsPlainText -Force
$results = @()
try {
    $warm = Join-Path $work 'warmup.yml'
    $warmIds = New-BenchKratosConfig -Path $warm -Count 100
    for ($r = 0; $r -lt $WarmupRounds; $r++) {
        $null = Add-KratosIdp bench-new -ConfigPath $warm -Provider github -ClientId "bench-client-$r" -ClientSecret $secret -Label 'Bench'
        Set-KratosIdpProvider $warmIds[50] -ConfigPath $warm -Label "Bench label $r"
        $null = Get-KratosIdp -ConfigPath $warm
        Remove-KratosIdp bench-new -ConfigPath $warm
    }
    # Let the background JIT finish the optimised code before the first timed call.
    Start-Sleep -Milliseconds 500
    foreach ($size in [int[]]($Sizes -split ',')) {
        $path = Join-Path $work "kratos-$size.yml"
        $ids = New-BenchKratosConfig -Path $path -Count $size
        $bytes = (Get-Item -LiteralPath $path).Length
        $setId = $ids[[int][Math]::Floor($ids.Count / 2)]
        $n = if ($size -ge $LargeFrom) { $LargeRuns } else { $Runs }
        $t = @{ Add = @(); Set = @(); Get = @(); Remove = @() }

        # One untimed round first (warm: JIT, caches, file-system), then the timed rounds.
        for ($r = 0; $r -le $n; $r++) {
            $add = Measure-Ms { Add-KratosIdp bench-new -ConfigPath $path -Provider github -ClientId "bench-client-$r" -ClientSecret $secret -Label 'Bench' }
            $set = Measure-Ms { Set-KratosIdpProvider $setId -ConfigPath $path -Label "Bench label $r" }
            $count = 0
            $get = Measure-Ms { $script:count = @(Get-KratosIdp -ConfigPath $path).Count }
            $remove = Measure-Ms { Remove-KratosIdp bench-new -ConfigPath $path }
            if ($script:count -ne $size + 1) { throw "Get-KratosIdp returned $($script:count) IdPs from $path, expected $($size + 1)." }
            if ($r -eq 0) { continue }
            $t.Add += $add; $t.Set += $set; $t.Get += $get; $t.Remove += $remove
        }
        $after = @(Get-KratosIdp -ConfigPath $path)
        if ($after.Count -ne $size -or ($after | Where-Object Name -eq 'bench-new')) { throw "$path does not hold its $size providers after the runs." }
        if (($after | Where-Object Name -eq $setId).Label -ne "Bench label $n") { throw "Set-KratosIdpProvider did not change the label of $setId." }

        $row = [ordered]@{ providers = $size; fileBytes = $bytes; runs = $n }
        foreach ($op in 'Add', 'Set', 'Get', 'Remove') {
            $m = Get-Median $t[$op]
            $row[$op] = [ordered]@{
                medianMs          = [Math]::Round($m, 2)
                minMs             = [Math]::Round(($t[$op] | Measure-Object -Minimum).Minimum, 2)
                maxMs             = [Math]::Round(($t[$op] | Measure-Object -Maximum).Maximum, 2)
                msPer1000Providers = [Math]::Round($m * 1000 / $size, 2)
                samplesMs         = $t[$op]
            }
        }
        $results += [pscustomobject]$row
        Write-Host ('  {0,6} providers ({1,9:N0} bytes): Add {2,8:N1} ms  Set {3,8:N1} ms  Get {4,8:N1} ms  Remove {5,8:N1} ms' -f `
                $size, $bytes, $row.Add.medianMs, $row.Set.medianMs, $row.Get.medianMs, $row.Remove.medianMs)
        Remove-Item -LiteralPath $path, "$path.lock" -Force -ErrorAction SilentlyContinue
    }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
ConvertTo-Json -InputObject @($results) -Depth 6 | Set-Content -LiteralPath $OutFile -Encoding utf8
