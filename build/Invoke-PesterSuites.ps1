<#
.SYNOPSIS
    Runs the Pester suites of tests/pester against the built module (called by build.ps1 Test
    in a child PowerShell). Writes NUnit XML and a small JSON summary for build.ps1.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $TestPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [Parameter(Mandatory)] [string] $SummaryPath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
# The suites import the module from here.
$env:EXTERNALIDP_MODULE_PATH = $ModulePath

$config = New-PesterConfiguration
$config.Run.Path = $TestPath
$config.Run.PassThru = $true
$config.Run.Exit = $false
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultPath
$result = Invoke-Pester -Configuration $config

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
# Names and first message line of what failed, so the end of the build's output says what to look at.
function Get-FailureLine([string] $Name, $ErrorRecord) {
    $message = ("$($ErrorRecord | Select-Object -First 1)" -split "`n")[0].Trim()
    if ($message) { "${Name}: $message" } else { $Name }
}
$failures = @(
    foreach ($t in $result.Failed) { Get-FailureLine $t.ExpandedPath $t.ErrorRecord }
    foreach ($b in $result.FailedBlocks) { Get-FailureLine "$($b.ExpandedPath) (block)" $b.ErrorRecord }
    foreach ($c in $result.FailedContainers) { Get-FailureLine "$($c.Item) (file)" $c.ErrorRecord }
)
[pscustomobject]@{
    Result  = $result.Result
    Passed  = $result.PassedCount
    Failed  = $failed
    Skipped = $result.SkippedCount
    NotRun  = $result.NotRunCount
    Failures = $failures
} | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath -Encoding utf8
if ($failed -gt 0 -or $result.Result -ne 'Passed') { exit 1 }
exit 0
