# Starts and stops the fake IdP (tests/fakes/FakeIdp, built into out/fakes/idp by build.ps1 Build).
# Dot-source after TestHelpers.ps1: . $PSScriptRoot/FakeIdp.ps1

function Start-FakeIdp {
    <#
    .SYNOPSIS
    Starts the fake IdP on two free loopback ports; returns @{ Http; Https; LogPath; Process }.
    It serves tests/fixtures/idp-discovery and stops by itself when this process ends.
    #>
    param([int] $DelayMs = 0)
    $dll = Join-Path (Split-Path $script:ModulePath) 'fakes/idp/FakeIdp.dll'
    if (-not (Test-Path $dll)) { throw "The fake IdP is not built at $($dll): run ./build.ps1 Build first." }
    $self = (Get-Process -Id $PID).Path
    $dotnet = if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { $self } else { 'dotnet' }
    $log = Join-Path ([IO.Path]::GetTempPath()) ('fakeidp-' + [guid]::NewGuid().ToString('n') + '.log')
    $psi = [System.Diagnostics.ProcessStartInfo]::new($dotnet)
    $arguments = @($dll, '--fixtures', (Join-Path $script:RepoRoot 'tests/fixtures/idp-discovery'), '--log', $log,
        '--parent-pid', $PID, '--lifetime-sec', 900, '--delay-ms', $DelayMs)
    foreach ($a in $arguments) { $psi.ArgumentList.Add([string] $a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $p = [System.Diagnostics.Process]::Start($psi)
    $line = $p.StandardOutput.ReadLineAsync()
    if (-not $line.Wait(60000) -or -not $line.Result -or -not $line.Result.StartsWith('FAKEIDP ')) {
        try { $p.Kill($true) } catch { }
        throw "The fake IdP did not start: $($line.Result) $($p.StandardError.ReadToEnd())"
    }
    $parts = $line.Result.Split(' ')
    [pscustomobject]@{ Http = $parts[1]; Https = $parts[2]; LogPath = $log; Process = $p }
}

function Stop-FakeIdp {
    param($Server)
    if (-not $Server) { return }
    try { $Server.Process.StandardInput.Close() } catch { }
    if (-not $Server.Process.WaitForExit(10000)) { try { $Server.Process.Kill($true) } catch { } }
    Remove-Item -LiteralPath $Server.LogPath -ErrorAction SilentlyContinue
}

function Get-FakeIdpRequest {
    <# The requests the fake IdP received (Scheme, Method, RawTarget, Host, Headers, Body). #>
    param($Server)
    if (-not (Test-Path $Server.LogPath)) { return }
    foreach ($l in [IO.File]::ReadAllLines($Server.LogPath)) { if ($l.Trim()) { $l | ConvertFrom-Json } }
}
