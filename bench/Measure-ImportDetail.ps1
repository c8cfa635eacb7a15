<#
.SYNOPSIS
    Inside one fresh process: how long Import-Module takes as the process's first command, what it
    loads (assemblies), whether it runs juju, and how long the first cmdlet calls take afterwards
    (cold). Writes JSON.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutFile,
    [string] $FakeJujuBin,
    # A folder of its own (created by the caller): the fake juju's state and log go there.
    [Parameter(Mandatory)] [string] $WorkDir
)
# Nothing before the import but plain .NET calls, so that it is timed cold.
$log = [IO.Path]::Combine($WorkDir, 'juju.log')
if ($FakeJujuBin) {
    # A logging fake juju first on PATH: any juju call made at import time would be recorded.
    [Environment]::SetEnvironmentVariable('PATH', $FakeJujuBin + [IO.Path]::PathSeparator + [Environment]::GetEnvironmentVariable('PATH'))
    [Environment]::SetEnvironmentVariable('FAKE_JUJU_STATE', [IO.Path]::Combine($WorkDir, 'state.json'))
    [Environment]::SetEnvironmentVariable('FAKE_JUJU_LOG', $log)
}
$before = [AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name }
$sw = [Diagnostics.Stopwatch]::StartNew()
Import-Module ([IO.Path]::Combine($ModulePath, 'ExternalIdp.psd1'))
$sw.Stop()
$importMs = $sw.Elapsed.TotalMilliseconds

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$loaded = @([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name } | Where-Object { $_ -notin $before } | Sort-Object -Unique)
$jujuAtImport = if (Test-Path $log) { @(Get-Content $log).Count } else { 0 }

. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$config = Join-Path $WorkDir 'kratos.yml'
$null = New-BenchKratosConfig -Path $config -Count 10
$secret = ConvertTo-SecureString -String 'bench-client-secret-0123456789' -AsPlainText -Force
$mid = @([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name })
$firstGet = Measure-Ms { Get-KratosIdp -ConfigPath $config }
$afterGet = @([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name } | Where-Object { $_ -notin $mid } | Sort-Object -Unique)
$firstAdd = Measure-Ms { Add-KratosIdp bench-new -ConfigPath $config -Provider github -ClientId bench-client -ClientSecret $secret }
$secondGet = Measure-Ms { Get-KratosIdp -ConfigPath $config }
$result = [ordered]@{
    importFirstCommandMs        = [Math]::Round($importMs, 1)
    assembliesLoadedByImport    = $loaded
    assembliesLoadedByFirstCall = $afterGet
    jujuCallsAtImport           = $jujuAtImport
    firstGetKratosIdpMs         = $firstGet
    firstAddKratosIdpMs         = $firstAdd
    secondGetKratosIdpMs        = $secondGet
}
ConvertTo-Json -InputObject $result -Depth 4 | Set-Content -LiteralPath $OutFile -Encoding utf8
