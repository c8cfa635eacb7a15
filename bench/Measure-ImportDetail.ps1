<#
.SYNOPSIS
    Inside one fresh process: how long Import-Module takes in-process, what it loads (assemblies),
    whether it runs juju, and how long the first cmdlet calls take afterwards (cold). Writes JSON.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutFile,
    [string] $FakeJujuBin
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$work = Join-Path ([IO.Path]::GetTempPath()) ('externalidp-bench-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
New-Item -ItemType Directory -Path $work | Out-Null
try {
    # A logging fake juju first on PATH: any juju call made at import time would be recorded.
    $log = Join-Path $work 'juju.log'
    if ($FakeJujuBin) {
        $env:PATH = $FakeJujuBin + [IO.Path]::PathSeparator + $env:PATH
        $env:FAKE_JUJU_STATE = Join-Path $work 'state.json'
        $env:FAKE_JUJU_LOG = $log
    }
    $before = @([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name })
    $sw = [Diagnostics.Stopwatch]::StartNew()
    Import-Module (Join-Path $ModulePath 'ExternalIdp.psd1')
    $sw.Stop()
    $importMs = $sw.Elapsed.TotalMilliseconds
    $loaded = @([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name } | Where-Object { $_ -notin $before } | Sort-Object -Unique)
    $jujuAtImport = if (Test-Path $log) { @(Get-Content $log).Count } else { 0 }

    . (Join-Path $PSScriptRoot 'BenchCommon.ps1')
    $config = Join-Path $work 'kratos.yml'
    $null = New-BenchKratosConfig -Path $config -Count 10
    $secret = ConvertTo-SecureString -String 'bench-client-secret-0123456789' -AsPlainText -Force
    $mid = @([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name })
    $firstGet = Measure-Ms { Get-KratosIdp -ConfigPath $config }
    $afterGet = @([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name } | Where-Object { $_ -notin $mid } | Sort-Object -Unique)
    $firstAdd = Measure-Ms { Add-KratosIdp bench-new -ConfigPath $config -Provider github -ClientId bench-client -ClientSecret $secret }
    $secondGet = Measure-Ms { Get-KratosIdp -ConfigPath $config }
    $result = [ordered]@{
        importInProcessMs        = [Math]::Round($importMs, 1)
        assembliesLoadedByImport = $loaded
        assembliesLoadedByFirstCall = $afterGet
        jujuCallsAtImport        = $jujuAtImport
        firstGetKratosIdpMs      = $firstGet
        firstAddKratosIdpMs      = $firstAdd
        secondGetKratosIdpMs     = $secondGet
    }
    ConvertTo-Json -InputObject $result -Depth 4 | Set-Content -LiteralPath $OutFile -Encoding utf8
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
