<#
.SYNOPSIS
    Juju benchmark: for a fake Juju model seeded with IdpCount integrators, the juju invocations
    each cmdlet makes (counted from FAKE_JUJU_LOG) and its wall time when every juju call takes
    DelayMs (FAKE_JUJU_DELAY_MS). Run once per model size, in a fresh process: the once-per-process
    `juju version` check shows up on the first cmdlet that needs it and is reported separately.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutFile,
    [int] $IdpCount = 1,
    [int] $Runs = 3,
    [int] $DelayMs = 200
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
Import-Module (Join-Path $ModulePath 'ExternalIdp.psd1') -Force
Import-Module (Join-Path $PSScriptRoot '../tests/fakes/FakeJuju.psm1') -Force

$secret = ConvertTo-SecureString -String 'bench-client-secret-0123456789' -AsPlainText -Force
# The cmdlets in the order a user would run them on a new IdP; the model is back where it started after each round.
$steps = [ordered]@{
    'Add-KratosIdp'                     = { Add-KratosIdp bench-idp -Provider github -ClientId "bench-client-$round" -ClientSecret $secret }
    'Set-KratosIdpProvider'             = { Set-KratosIdpProvider bench-idp -Label "Bench $round" }
    'Get-KratosIdp'                     = { $script:listed = @(Get-KratosIdp).Count }
    'Get-KratosRedirectUri'             = { $script:uri = Get-KratosRedirectUri bench-idp }
    'Remove-KratosIdp'                  = { Remove-KratosIdp bench-idp }
    'Remove-KratosIdp -RemoveApplication' = { Remove-KratosIdp bench-idp -RemoveApplication }
}

function Invoke-Round([int] $round, [Collections.IDictionary] $into, [switch] $Count) {
    foreach ($name in $steps.Keys) {
        if ($Count) { Clear-FakeJujuLog $fake }
        $ms = Measure-Ms $steps[$name]
        if ($Count) {
            $calls = @(Get-FakeJujuCall $fake -IncludeVersion)
            $into[$name] = [ordered]@{
                calls        = @($calls | Where-Object Command -ne 'version').Count
                versionCalls = @($calls | Where-Object Command -eq 'version').Count
                commands     = @($calls | ForEach-Object Command)
            }
        }
        else {
            if (-not $into.Contains($name)) { $into[$name] = @() }
            $into[$name] += $ms
        }
    }
    if ($script:listed -ne $IdpCount + 1) { throw "Get-KratosIdp listed $($script:listed) IdPs, expected $($IdpCount + 1)." }
    if ($script:uri.RedirectUri -notmatch '/self-service/methods/oidc/callback/') { throw "Get-KratosRedirectUri returned '$($script:uri.RedirectUri)'." }
}

$fake = New-FakeJujuModel -Idps $IdpCount
try {
    # Counting round: no delay; this is the process's first juju use, so `juju version` shows up here.
    $env:FAKE_JUJU_DELAY_MS = $null
    $counts = [ordered]@{}
    Invoke-Round 0 $counts -Count
    # Timed rounds: every juju call sleeps DelayMs first. One untimed round to warm up.
    $env:FAKE_JUJU_DELAY_MS = "$DelayMs"
    $times = [ordered]@{}
    Invoke-Round 1 @{}
    for ($r = 0; $r -lt $Runs; $r++) { Invoke-Round (2 + $r) $times }
    # A bare juju call with the delay, to tell juju's own cost from ExternalIdp's.
    Clear-FakeJujuLog $fake
    $bare = @(for ($r = 0; $r -lt $Runs; $r++) { Measure-Ms { & (Join-Path $fake.BinDirectory $(if ($IsWindows) { 'juju.exe' } else { 'juju' })) status --format=json } })
}
finally {
    $env:FAKE_JUJU_DELAY_MS = $null
    Remove-FakeJujuModel $fake
}

$cmdlets = foreach ($name in $steps.Keys) {
    $m = Get-Median $times[$name]
    [ordered]@{
        cmdlet       = $name
        jujuCalls    = $counts[$name].calls
        versionCalls = $counts[$name].versionCalls
        commands     = $counts[$name].commands
        medianMs     = [Math]::Round($m, 1)
        samplesMs    = $times[$name]
    }
}
$result = [ordered]@{
    idps            = $IdpCount
    delayMs         = $DelayMs
    runs            = $Runs
    bareJujuCallMs  = [Math]::Round((Get-Median $bare), 1)
    cmdlets         = @($cmdlets)
}
foreach ($c in $cmdlets) {
    Write-Host ('  {0,3} IdPs  {1,-38} {2,2} juju calls (+{3} version)  {4,8:N0} ms' -f $IdpCount, $c.cmdlet, $c.jujuCalls, $c.versionCalls, $c.medianMs)
}
ConvertTo-Json -InputObject $result -Depth 6 | Set-Content -LiteralPath $OutFile -Encoding utf8
