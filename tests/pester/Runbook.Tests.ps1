# Azure Automation style: a non-interactive PowerShell with the default $ConfirmPreference never prompts.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
}

Describe 'Runbook-style use' {
    It 'runs Add, Set, Get-KratosRedirectUri and Remove in pwsh -NonInteractive with no prompt' {
        $cfg = New-KratosConfig
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$((Join-Path $ModulePath 'ExternalIdp.psd1').Replace("'", "''"))'
"ConfirmPreference=`$ConfirmPreference"
`$cred = [pscredential]::new('runbook-client', (ConvertTo-SecureString -String 'rb-secret-value' -AsPlainText -Force))
`$idp = Add-KratosIdp entra -ConfigPath '$($cfg.Replace("'", "''"))' -Provider microsoft -TenantId common -Credential `$cred
"added=`$(`$idp.Name)"
Set-KratosIdpProvider entra -ConfigPath '$($cfg.Replace("'", "''"))' -Label 'Contoso'
"label=`$((Get-KratosIdp entra -ConfigPath '$($cfg.Replace("'", "''"))').Label)"
"uri=`$((Get-KratosRedirectUri entra -ConfigPath '$($cfg.Replace("'", "''"))').RedirectUri)"
Get-KratosIdp -ConfigPath '$($cfg.Replace("'", "''"))' | Remove-KratosIdp
"left=`$(@(Get-KratosIdp -ConfigPath '$($cfg.Replace("'", "''"))').Count)"
"@
        $r = Invoke-ChildPwsh $script
        $r.Output | Should -Not -Match 'NonInteractive' -Because 'no prompt was attempted'
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match 'ConfirmPreference=High'
        $r.Output | Should -Match 'added=entra'
        $r.Output | Should -Match 'label=Contoso'
        $r.Output | Should -Match 'uri=https://auth\.example\.com/self-service/methods/oidc/callback/entra'
        $r.Output | Should -Match 'left=0'
    }

    It 'runs the README''s desired-state runbook example in pwsh -NonInteractive, twice, with no prompt; the second run changes nothing' {
        $readme = Get-Content -Raw (Join-Path $RepoRoot 'README.md')
        $m = [regex]::Match($readme, '(?s)<!-- runbook-example -->\s*```powershell\r?\n(.*?)```')
        $m.Success | Should -BeTrue -Because 'the README has a runbook example marked <!-- runbook-example -->'
        $d = [regex]::Match($readme, '(?s)<!-- runbook-desired-state -->\s*```yaml\r?\n(.*?)```')
        $d.Success | Should -BeTrue -Because 'the README shows the desired-state file of the runbook, marked <!-- runbook-desired-state -->'
        $runbook = Join-Path $TestDrive 'Sync-KratosIdps.ps1'
        Set-Content -LiteralPath $runbook -Value $m.Groups[1].Value
        $desired = Join-Path $TestDrive 'kratos-idps.yml'
        Set-Content -LiteralPath $desired -Value $d.Groups[1].Value
        $cfg = New-KratosConfig
        Split-Path $ModulePath -Leaf | Should -Be 'ExternalIdp' -Because 'Import-Module ExternalIdp finds the module by its folder name'
        $q = { param($t) "'" + $t.Replace("'", "''") + "'" }
        $script = @"
# As in Azure Automation: the module is found by name, and Get-AutomationPSCredential returns a PSCredential.
`$env:PSModulePath = $(& $q (Split-Path $ModulePath -Parent)) + [IO.Path]::PathSeparator + `$env:PSModulePath
function Get-AutomationPSCredential([string] `$Name) { [pscredential]::new("`$Name-app-id", (ConvertTo-SecureString -String 'rb-readme-secret' -AsPlainText -Force)) }
"ConfirmPreference=`$ConfirmPreference"
& $(& $q $runbook) -ConfigPath $(& $q $cfg) -DesiredStatePath $(& $q $desired) | Out-String -Width 200
"first=`$((Get-Content -Raw $(& $q $cfg)) -match 'microsoft_tenant: contoso\.onmicrosoft\.com')"
`$before = (Get-FileHash $(& $q $cfg)).Hash
"second-run"
& $(& $q $runbook) -ConfigPath $(& $q $cfg) -DesiredStatePath $(& $q $desired) | Out-String -Width 200
"unchanged=`$(`$before -eq (Get-FileHash $(& $q $cfg)).Hash)"
"@
        $r = Invoke-ChildPwsh $script
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match 'ConfirmPreference=High'
        $r.Output | Should -Not -Match 'NonInteractive|prompt' -Because 'nothing asked for a confirmation'
        $r.Output | Should -Match 'first=True'
        $r.Output | Should -Match 'unchanged=True'
        $first, $second = $r.Output -split 'second-run'
        $first | Should -Match 'entra\s+Add' -Because 'the first run shows what it adds'
        $second | Should -Not -Match '\bentra\s+(Add|Change)\b' -Because 'the second run finds nothing to change'
        ([regex]::Matches($r.Output, 'entra\s+https://auth\.example\.com/self-service/methods/oidc/callback/entra')).Count | Should -Be 2
        $r.Output | Should -Not -Match 'rb-readme-secret'
        $idp = Get-KratosIdp entra -ConfigPath $cfg
        $idp.Provider | Should -Be 'microsoft'
        $idp.ClientId | Should -Be '0b7c5a8e-1111-4222-8333-944455556666'
        $idp.Label | Should -Be 'Contoso account'
        @(Get-KratosIdp -ConfigPath $cfg).Name | Should -Be @('github', 'entra') -Because 'the IdP the desired state does not name is left alone'
        (Get-Content -Raw $cfg) | Should -Match 'client_secret: rb-readme-secret'
    }

    It 'fails with a clear error instead of prompting when -Confirm is asked for in a non-interactive session' {
        $cfg = New-KratosConfig
        $before = Get-FileSha $cfg
        $script = @"
Import-Module '$((Join-Path $ModulePath 'ExternalIdp.psd1').Replace("'", "''"))'
try { Remove-KratosIdp github -ConfigPath '$($cfg.Replace("'", "''"))' -Confirm -ErrorAction Stop; 'removed' } catch { "caught: `$(`$_.FullyQualifiedErrorId): `$(`$_.Exception.Message)" }
"@
        $r = Invoke-ChildPwsh $script
        $r.Output | Should -Match 'caught: KratosIdpConfirmationUnavailable,'
        $r.Output | Should -Match 'WhatIf'
        $r.Output | Should -Not -Match '(?m)^removed'
        Get-FileSha $cfg | Should -Be $before
    }

    It 'runs two jobs in one process at once without mixing their files' {
        $a = New-KratosConfig
        $b = New-KratosConfig
        $manifest = Join-Path $ModulePath 'ExternalIdp.psd1'
        $jobs = foreach ($pair in @(@($a, 'alpha'), @($b, 'beta'))) {
            Start-ThreadJob -ArgumentList $manifest, $pair[0], $pair[1], $Secret -ScriptBlock {
                param($m, $path, $name, $secret)
                Import-Module $m
                1..3 | ForEach-Object {
                    $null = Add-KratosIdp "$name$_" -ConfigPath $path -Provider google -ClientId "$name-client-$_" -ClientSecret $secret
                }
                (Get-KratosIdp -ConfigPath $path).Name -join ','
            }
        }
        $results = $jobs | Wait-Job -Timeout 120 | Receive-Job
        $jobs | Remove-Job -Force
        $results | Should -Contain 'github,alpha1,alpha2,alpha3'
        $results | Should -Contain 'github,beta1,beta2,beta3'
    }

    It 'stops promptly on Ctrl+C (StopProcessing) while juju hangs, and leaves no juju running' -Skip:(-not (Test-Path (Join-Path $PSScriptRoot '../fakes/FakeJuju.psm1'))) {
        Import-Module (Join-Path $PSScriptRoot '../fakes/FakeJuju.psm1') -Force
        $model = New-FakeJujuModel -Idps 1
        try {
            $env:FAKE_JUJU_HANG = 'status,export-bundle'
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$((Join-Path $ModulePath 'ExternalIdp.psd1').Replace("'", "''"))'; Get-KratosIdp")
            $async = $ps.BeginInvoke()
            Start-Sleep -Seconds 2
            $async.IsCompleted | Should -BeFalse -Because 'juju hangs'
            $fakeJuju = { @(Get-Process | Where-Object { try { $_.Path -and $_.Path.StartsWith($model.BinDirectory) } catch { $false } }) }
            (& $fakeJuju).Count | Should -BeGreaterThan 0 -Because 'the hung juju is running'
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 10
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $ps.Dispose()
            Start-Sleep -Milliseconds 500
            & $fakeJuju | Should -HaveCount 0 -Because 'the hung juju was killed'
        }
        finally {
            $env:FAKE_JUJU_HANG = $null
            Remove-FakeJujuModel $model
        }
    }
}
