<#
.SYNOPSIS
    Test-KratosIdp benchmark: a config file with IdpCount generic IdPs whose issuer is the fake IdP
    (tests/fakes/FakeIdp), which answers every request after DelayMs. Measures the wall time of
    Test-KratosIdp for one IdP and for all of them (and for all with -Offline). The IdPs are checked
    side by side, so all of them should take about as long as one. Runs in a fresh process.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $FakeIdp,
    [Parameter(Mandatory)] [string] $OutFile,
    [Parameter(Mandatory)] [string] $WorkDir,
    [int] $IdpCount = 20,
    [int] $Runs = 5,
    [int] $DelayMs = 200
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
Import-Module (Join-Path $ModulePath 'ExternalIdp.psd1') -Force

# The fake IdP, stopped by closing its standard input (and by itself when this process ends).
$self = [Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
$dotnet = if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { $self } else { 'dotnet' }
$psi = [Diagnostics.ProcessStartInfo]::new($dotnet)
foreach ($a in @($FakeIdp, '--fixtures', (Join-Path $PSScriptRoot '../tests/fixtures/idp-discovery'), '--delay-ms', $DelayMs, '--parent-pid', $PID)) { $psi.ArgumentList.Add([string] $a) }
$psi.UseShellExecute = $false
$psi.RedirectStandardInput = $true
$psi.RedirectStandardOutput = $true
$server = [Diagnostics.Process]::Start($psi)
try {
    $line = $server.StandardOutput.ReadLine()
    if (-not $line -or -not $line.StartsWith('FAKEIDP ')) { throw "The fake IdP did not start: $line" }
    $http = $line.Split(' ')[1]
    $issuer = "$http/keycloak/auth/realms/simple_openid_test"

    $config = Join-Path $WorkDir 'kratos.yml'
    $entries = foreach ($i in 1..$IdpCount) {
        $id = 'idp{0:D2}' -f $i
        @"
          - id: $id
            provider: generic
            client_id: client-$id
            client_secret: bench-secret-$id
            issuer_url: $issuer
            mapper_url: base64://bG9jYWwgY2xhaW1zID0gc3RkLmV4dFZhcignY2xhaW1zJyk7IHsgaWRlbnRpdHk6IHsgdHJhaXRzOiB7IGVtYWlsOiBjbGFpbXMuZW1haWwgfSB9IH0=
            scope: [email, profile]
"@
    }
    Set-Content -LiteralPath $config -Encoding utf8 -Value (@"
version: v1.3.0
selfservice:
  methods:
    oidc:
      enabled: true
      config:
        providers:
$($entries -join "`n")
"@)

    function Test-Once([string[]] $Name, [switch] $Offline) {
        $checks = @(Test-KratosIdp -ConfigPath $config -Name $Name -Offline:$Offline)
        $failed = @($checks | Where-Object Result -eq Fail)
        if ($failed) { throw "Test-KratosIdp failed: $($failed[0].IdP) $($failed[0].Check): $($failed[0].Message)" }
        $checks.Count
    }

    # Warm up: the module's first network use (JIT, connection pool), untimed.
    $null = Test-Once 'idp01'
    $null = Test-Once '*'
    $one = @(); $all = @(); $offline = @()
    for ($r = 0; $r -lt $Runs; $r++) {
        $one += Measure-Ms { Test-Once 'idp01' }
        $all += Measure-Ms { Test-Once '*' }
        $offline += Measure-Ms { Test-Once '*' -Offline }
    }
}
finally {
    try { $server.StandardInput.Close() } catch { }
    if (-not $server.WaitForExit(10000)) { $server.Kill($true) }
}

$oneMedian = Get-Median $one
$allMedian = Get-Median $all
$result = [ordered]@{
    idps               = $IdpCount
    delayMs            = $DelayMs
    runs               = $Runs
    requestsPerIdp     = 2
    oneIdpMedianMs     = [Math]::Round($oneMedian, 1)
    allIdpsMedianMs    = [Math]::Round($allMedian, 1)
    allOfflineMedianMs = [Math]::Round((Get-Median $offline), 1)
    allOverOne         = [Math]::Round($allMedian / $oneMedian, 2)
    oneSamplesMs       = $one
    allSamplesMs       = $all
    offlineSamplesMs   = $offline
}
Write-Host ('  Test-KratosIdp, {0} ms per request: 1 IdP {1:N0} ms, {2} IdPs {3:N0} ms ({4:N2} x one), {2} IdPs -Offline {5:N0} ms' -f
    $DelayMs, $result.oneIdpMedianMs, $IdpCount, $result.allIdpsMedianMs, $result.allOverOne, $result.allOfflineMedianMs)
ConvertTo-Json -InputObject $result -Depth 4 | Set-Content -LiteralPath $OutFile -Encoding utf8
