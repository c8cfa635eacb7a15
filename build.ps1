<#
.SYNOPSIS
    Builds and tests the ExternalIdp module.
.DESCRIPTION
    Build  builds the solution (Release) and lays out out/ExternalIdp so that
           Import-Module ./out/ExternalIdp works; builds the fake juju (tests/fakes/FakeJuju)
           into out/fakes and the fake IdP (tests/fakes/FakeIdp) into out/fakes/idp when present.
    Test   Build, then the xunit suites (trx into out/test-results), then the Pester suites in
           a child PowerShell (NUnit XML into out/test-results); prints one final line
           "N passed, N failed" and exits non-zero when anything failed or a suite could not run.
    Package  Build, then out/ExternalIdp.zip (for Azure Automation: zip, root folder and manifest all
           named ExternalIdp) and out/ExternalIdp.<version>.nupkg (for a PowerShell repository),
           by build/New-ExternalIdpPackage.ps1.
    Clean  removes out/ and every bin/ and obj/ folder.
    Bench  Build, then the benchmarks (bench/Invoke-Bench.ps1): module import, config-file edits on
           10 to 10,000 providers, juju calls per cmdlet against the fake juju, Test-KratosIdp on 20
           IdPs against a fake IdP that answers after 200 ms, Sync-KratosIdp of 1,000 desired IdPs
           (into an empty file, into a 1,000-provider file where 10 differ) and with nothing to do on
           a 10-IdP fake Juju model. Writes
           out/bench.json and out/bench.md and prints the tables. Runs per measurement: 7, or
           $env:EXTERNALIDP_BENCH_RUNS. Figures to read, never asserted by a test.
.EXAMPLE
    dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Package', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'ExternalIdp'
$FakesOut = Join-Path $Out 'fakes'
$ResultsOut = Join-Path $Out 'test-results'
$PesterVersion = '6.2.0'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

function Write-Step([string] $Text) { Write-Host "==> $Text" -ForegroundColor Cyan }

function Invoke-Dotnet {
    # A simple function: $args passes switches such as -v through untouched.
    & dotnet @args | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Write-Step "Building ExternalIdp.sln ($Configuration)"
    Invoke-Dotnet build (Join-Path $Root 'ExternalIdp.sln') -c $Configuration -nologo -v minimal

    $bin = Join-Path $Root "src/ExternalIdp/bin/$Configuration/netstandard2.0"
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleOut | Out-Null
    # The cmdlet assembly at the top; ExternalIdp.Core and its dependencies in dependencies/, where
    # PowerShell's own resolution can't find them: the module initializer loads them from there
    # (an isolated load context on PowerShell 7). Never list them in the manifest.
    $dependenciesOut = Join-Path $ModuleOut 'dependencies'
    New-Item -ItemType Directory -Path $dependenciesOut | Out-Null
    $layout = [ordered]@{
        'ExternalIdp.dll'           = $ModuleOut
        'ExternalIdp.format.ps1xml' = $ModuleOut
        'ExternalIdp.Core.dll'      = $dependenciesOut
        'YamlDotNet.dll'            = $dependenciesOut
        'Newtonsoft.Json.dll'       = $dependenciesOut
    }
    foreach ($file in $layout.Keys) {
        $source = Join-Path $bin $file
        if (-not (Test-Path $source)) { throw "The build did not produce $source." }
        Copy-Item $source $layout[$file]
    }
    Copy-Item (Join-Path $Root 'ExternalIdp.psd1') $ModuleOut
    if (Test-Path (Join-Path $Root 'LICENSE')) { Copy-Item (Join-Path $Root 'LICENSE') $ModuleOut }

    Write-Step 'Generating help (en-US MAML)'
    $helpOut = Join-Path $ModuleOut 'en-US'
    New-Item -ItemType Directory -Path $helpOut -Force | Out-Null
    $generator = Join-Path $Root 'build/New-ExternalIdpHelp.ps1'
    # A child process, so that this one never loads the module it has just laid out.
    & dotnet pwsh -NoProfile -NonInteractive -File $generator -ModulePath $ModuleOut `
        -SourcePath (Join-Path $Root 'help/ExternalIdp.help.psd1') -OutFile (Join-Path $helpOut 'ExternalIdp.dll-Help.xml') | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "Help generation failed (exit code $LASTEXITCODE)." }
    Copy-Item (Join-Path $Root 'help/about_ExternalIdp.help.txt') $helpOut

    $fake = Join-Path $Root 'tests/fakes/FakeJuju/FakeJuju.csproj'
    if (Test-Path $fake) {
        Write-Step 'Building the fake juju into out/fakes'
        Invoke-Dotnet build $fake -c $Configuration -nologo -v minimal -o $FakesOut
    }
    $fakeIdp = Join-Path $Root 'tests/fakes/FakeIdp/FakeIdp.csproj'
    if (Test-Path $fakeIdp) {
        # Its own folder: not on PATH, and its dependencies apart from the fake juju's.
        Write-Step 'Building the fake IdP into out/fakes/idp'
        Invoke-Dotnet build $fakeIdp -c $Configuration -nologo -v minimal -o (Join-Path $FakesOut 'idp')
    }
    Write-Step "Module laid out in $ModuleOut"
}

function Get-TrxCounts([string] $Path) {
    [xml] $trx = Get-Content -LiteralPath $Path -Raw
    $ns = @{ t = 'http://microsoft.com/schemas/VisualStudio/TeamTest/2010' }
    $counters = (Select-Xml -Xml $trx -XPath '//t:ResultSummary/t:Counters' -Namespace $ns).Node
    if (-not $counters) { throw "No counters in $Path." }
    $failures = @(
        foreach ($r in (Select-Xml -Xml $trx -XPath "//t:UnitTestResult[@outcome!='Passed' and @outcome!='NotExecuted']" -Namespace $ns)) {
            $message = (Select-Xml -Xml $r.Node -XPath './/t:Message' -Namespace $ns | Select-Object -First 1).Node.InnerText
            '{0}: {1}' -f $r.Node.testName, (("$message" -split '\r?\n') -ne '' | Select-Object -First 1)
        }
    )
    [pscustomobject]@{
        Passed   = [int] $counters.passed
        Failed   = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        Failures = $failures
    }
}

function Invoke-XunitSuites {
    $results = @()
    $projects = Get-ChildItem (Join-Path $Root 'tests') -Recurse -Filter '*.Tests.csproj' | Sort-Object FullName
    foreach ($project in $projects) {
        $name = $project.BaseName
        $trxName = "$name.trx"
        $trxPath = Join-Path $ResultsOut $trxName
        if (Test-Path $trxPath) { Remove-Item $trxPath -Force }
        Write-Step "xunit: $name"
        & dotnet test $project.FullName -c $Configuration --no-build --nologo `
            --logger "trx;LogFileName=$trxName" --logger 'console;verbosity=normal' --results-directory $ResultsOut | Out-Host
        $exit = $LASTEXITCODE
        if (Test-Path $trxPath) {
            $counts = Get-TrxCounts $trxPath
            $ran = $true
        }
        else {
            $counts = [pscustomobject]@{ Passed = 0; Failed = 0; Failures = @() }
            $ran = $false
        }
        if ($exit -ne 0 -and $counts.Failed -eq 0) { $ran = $false }
        $results += [pscustomobject]@{ Suite = "xunit $name"; Passed = $counts.Passed; Failed = $counts.Failed; Ran = $ran; Failures = $counts.Failures }
    }
    $results
}

function Get-PesterModulePath {
    Write-Step "Restoring Pester $PesterVersion (build/Pester.proj)"
    Invoke-Dotnet restore (Join-Path $Root 'build/Pester.proj') -nologo -v minimal
    $line = & dotnet nuget locals global-packages --list
    if ($LASTEXITCODE -ne 0) { throw 'dotnet nuget locals global-packages --list failed.' }
    $folder = (($line | Select-Object -First 1) -replace '^\s*global-packages:\s*', '').Trim()
    $psd1 = Join-Path $folder "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $psd1)) { throw "Pester was restored but $psd1 is missing." }
    $psd1
}

function Invoke-PesterSuites {
    $summary = Join-Path $ResultsOut 'pester-summary.json'
    if (Test-Path $summary) { Remove-Item $summary -Force }
    try {
        $pester = Get-PesterModulePath
    }
    catch {
        Write-Host "Pester could not be prepared: $_" -ForegroundColor Red
        return [pscustomobject]@{ Suite = 'pester'; Passed = 0; Failed = 0; Ran = $false }
    }
    $runner = Join-Path $Root 'build/Invoke-PesterSuites.ps1'
    $command = "& '{0}' -PesterPath '{1}' -TestPath '{2}' -ModulePath '{3}' -ResultPath '{4}' -SummaryPath '{5}'; exit `$LASTEXITCODE" -f `
        ($runner -replace "'", "''"), ($pester -replace "'", "''"), ((Join-Path $Root 'tests/pester') -replace "'", "''"),
        ($ModuleOut -replace "'", "''"), ((Join-Path $ResultsOut 'pester.xml') -replace "'", "''"), ($summary -replace "'", "''")
    Write-Step 'Pester suites (child PowerShell)'
    $saved = @{ PATH = $env:PATH; TMPDIR = $env:TMPDIR; TEMP = $env:TEMP; TMP = $env:TMP }
    # A temp folder of this run only: the suites check that nothing is left in the temp folder, and
    # the fake juju keeps per-version copies there, so runs on one machine must not share it.
    $runTemp = Join-Path $Out 'tmp'
    if (Test-Path $runTemp) { Remove-Item $runTemp -Recurse -Force }
    New-Item -ItemType Directory -Path $runTemp | Out-Null
    try {
        # The fake juju comes first on PATH for the child only.
        if (Test-Path $FakesOut) { $env:PATH = $FakesOut + [IO.Path]::PathSeparator + $saved.PATH }
        $env:TMPDIR = $runTemp; $env:TEMP = $runTemp; $env:TMP = $runTemp
        & dotnet pwsh -NoProfile -NonInteractive -c $command | Out-Host
        $exit = $LASTEXITCODE
    }
    finally {
        foreach ($kv in $saved.GetEnumerator()) { [Environment]::SetEnvironmentVariable($kv.Key, $kv.Value) }
    }
    if (-not (Test-Path $summary)) {
        Write-Host "The Pester run ended (exit code $exit) without a summary." -ForegroundColor Red
        return [pscustomobject]@{ Suite = 'pester'; Passed = 0; Failed = 0; Ran = $false }
    }
    $s = Get-Content $summary -Raw | ConvertFrom-Json
    [pscustomobject]@{ Suite = 'pester'; Passed = [int] $s.Passed; Failed = [int] $s.Failed; Ran = ($s.Result -ne 'NotRun' -and ($exit -eq 0 -or $s.Failed -gt 0)); Failures = @($s.Failures) }
}

function Invoke-Test {
    $results = @()
    try {
        Invoke-Build
    }
    catch {
        Write-Host "Build failed: $_" -ForegroundColor Red
        Write-Host '0 passed, 1 failed'
        exit 1
    }
    New-Item -ItemType Directory -Path $ResultsOut -Force | Out-Null
    $results += Invoke-XunitSuites
    $results += Invoke-PesterSuites

    Write-Host ''
    # What failed, repeated at the end where a short log tail still shows it.
    foreach ($r in $results) {
        foreach ($f in @($r.Failures)) { if ($f) { Write-Host ("FAILED {0}: {1}" -f $r.Suite, $f) -ForegroundColor Red } }
    }
    foreach ($r in $results) {
        $state = if (-not $r.Ran) { 'COULD NOT RUN' } elseif ($r.Failed -gt 0) { 'FAILED' } else { 'ok' }
        Write-Host ('{0,-40} {1,5} passed {2,5} failed  {3}' -f $r.Suite, $r.Passed, $r.Failed, $state)
    }
    $passed = ($results | Measure-Object -Property Passed -Sum).Sum
    $failed = ($results | Measure-Object -Property Failed -Sum).Sum
    $notRun = @($results | Where-Object { -not $_.Ran }).Count
    # A suite that could not run counts as one failure so the total can't look green.
    $failed += $notRun
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
    exit 0
}

function Invoke-Package {
    Invoke-Build
    Write-Step 'Packing out/ExternalIdp.zip and the .nupkg'
    $packer = Join-Path $Root 'build/New-ExternalIdpPackage.ps1'
    # A child process, like the help generator: Test-ModuleManifest must not load the module here.
    & dotnet pwsh -NoProfile -NonInteractive -File $packer -ModulePath $ModuleOut -OutputPath $Out | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "Packing failed (exit code $LASTEXITCODE)." }
}

function Invoke-Clean {
    Write-Step 'Removing out/, bin/ and obj/'
    if (Test-Path $Out) { Remove-Item $Out -Recurse -Force }
    Get-ChildItem $Root -Recurse -Directory -Include bin, obj -ErrorAction SilentlyContinue |
        Where-Object { $_.FullName -notmatch '[\\/]\.git[\\/]' } |
        Sort-Object { $_.FullName.Length } -Descending |
        ForEach-Object { if (Test-Path $_.FullName) { Remove-Item $_.FullName -Recurse -Force } }
}

function Invoke-Bench {
    Invoke-Build
    $benchArgs = @{ ModulePath = $ModuleOut; OutDir = $Out }
    $fakeIdpDll = Join-Path $FakesOut 'idp/FakeIdp.dll'
    $only = [Collections.Generic.List[string]]@('Import', 'ConfigFile', 'DesiredState')
    if (Test-Path (Join-Path $FakesOut 'juju.dll')) { $benchArgs.FakeJujuBin = $FakesOut; $only.Add('Juju') }
    if (Test-Path $fakeIdpDll) { $benchArgs.FakeIdp = $fakeIdpDll; $only.Add('TestKratosIdp') }
    $benchArgs.Only = $only.ToArray()
    if ($env:EXTERNALIDP_BENCH_RUNS) { $benchArgs.Runs = [int] $env:EXTERNALIDP_BENCH_RUNS }
    Write-Step 'Benchmarks (bench/Invoke-Bench.ps1)'
    # The benchmark scripts load the module only in child processes, never in this one.
    & (Join-Path $Root 'bench/Invoke-Bench.ps1') @benchArgs
}

Push-Location $Root
try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Package' { Invoke-Package }
        'Clean' { Invoke-Clean }
        'Bench' { Invoke-Bench }
    }
}
finally {
    Pop-Location
}
