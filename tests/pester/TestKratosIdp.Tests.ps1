# Test-KratosIdp through the cmdlet, against the fake IdP (tests/fakes/FakeIdp) for a config file
# and the fake juju for a Juju model. Fixed issuers (google, microsoft, apple) are covered by the
# xunit tests, which route them to the fake IdP; here the issuers are generic/gitlab issuer_urls.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    . $PSScriptRoot/FakeIdp.ps1
    $script:Idp = Start-FakeIdp
    $script:Realm = "$($Idp.Http)/keycloak/auth/realms/simple_openid_test"
    $script:Order = 'Settings', 'KratosVersion', 'MicrosoftTenant', 'AppleKey', 'Mapper', 'IdentitySchema',
        'Discovery', 'Issuer', 'ResponseType', 'Scopes', 'Pkce', 'Jwks'

    function New-CheckedConfig {
        # A config file with a Keycloak realm, a GitLab, a wrong issuer and GitHub (no discovery).
        $cfg = New-KratosConfig
        $null = Add-KratosIdp keycloak -ConfigPath $cfg -Provider generic -IssuerUrl $Realm -ClientId kratos -ClientSecret $Secret
        $null = Add-KratosIdp gitlab -ConfigPath $cfg -Provider gitlab -IssuerUrl "$($Idp.Http)/gitlab" -ClientId gl -ClientSecret $Secret
        $null = Add-KratosIdp wrong -ConfigPath $cfg -Provider generic -IssuerUrl "$($Idp.Http)/broken/wrong-issuer" -ClientId w -ClientSecret $Secret
        $cfg
    }
}

AfterAll {
    Stop-FakeIdp $Idp
}

Describe 'Test-KratosIdp on a config file' {
    BeforeAll {
        $script:Cfg = New-CheckedConfig
    }

    It 'writes one KratosIdpCheck per check of each IdP, in a stable order' {
        $r = @(Test-KratosIdp keycloak -ConfigPath $Cfg)
        $r[0] | Should -BeOfType ([ExternalIdp.KratosIdpCheck])
        $r[0].Result | Should -BeOfType ([ExternalIdp.KratosIdpCheckResult])
        $r.Check | Should -Be @('Settings', 'KratosVersion', 'Mapper', 'IdentitySchema', 'Discovery', 'Issuer', 'ResponseType', 'Scopes', 'Pkce', 'Jwks')
        ($r | Where-Object Result -eq 'Fail') | Should -BeNullOrEmpty -Because ($r | Format-List | Out-String)
        ($r | Where-Object Check -eq Discovery).Url | Should -Be "$Realm/.well-known/openid-configuration"
        ($r | Where-Object Check -eq Issuer).Result | Should -Be Pass
        $r.IdP | Select-Object -Unique | Should -Be 'keycloak'
        $r[0].ConfigPath | Should -Be $Cfg
    }

    It 'takes the IdPs from the pipeline (with their target) and keeps their order, IdP by IdP' {
        $r = @(Get-KratosIdp -ConfigPath $Cfg | Test-KratosIdp)
        $names = @($r.IdP | Select-Object -Unique)
        $names | Should -Be @('github', 'keycloak', 'gitlab', 'wrong')
        # Each IdP's checks come together and in the order of the check names.
        foreach ($n in $names) {
            $mine = @($r | Where-Object IdP -eq $n)
            $first = [array]::IndexOf($r, $mine[0])
            $r[$first..($first + $mine.Count - 1)].IdP | Select-Object -Unique | Should -Be $n
            $ranks = @($mine.Check | ForEach-Object { [array]::IndexOf($Order, $_) })
            $ranks | Should -Be @($ranks | Sort-Object)
        }
        ($r | Where-Object IdP -eq github).Check | Should -Contain 'Discovery'
        ($r | Where-Object { $_.IdP -eq 'github' -and $_.Check -eq 'Discovery' }).Message | Should -Match 'OAuth2 API'
    }

    It '-Name takes wildcards; an unknown name is KratosIdpNotFound and the others are still checked' {
        (Test-KratosIdp 'g*' -ConfigPath $Cfg).IdP | Select-Object -Unique | Should -Be @('github', 'gitlab')
        $errors = $null
        $r = @(Test-KratosIdp nope, keycloak -ConfigPath $Cfg -ErrorVariable errors -ErrorAction SilentlyContinue)
        Get-ErrorId $errors[0] | Should -Be 'KratosIdpNotFound'
        $errors[0].Exception.Message | Should -Match 'keycloak'
        $r.IdP | Select-Object -Unique | Should -Be 'keycloak'
    }

    It 'reports a wrong issuer as a Fail that names the issuer to use' {
        $issuer = Test-KratosIdp wrong -ConfigPath $Cfg | Where-Object Check -eq Issuer
        $issuer.Result | Should -Be Fail
        $issuer.Message | Should -Match ([regex]::Escape("$($Idp.Http)/keycloak/auth/realms/other_realm"))
        $issuer.Message | Should -Match 'Set-KratosIdpProvider -IssuerUrl'
    }

    It '-Quiet writes one boolean per IdP: true when no check failed' {
        $q = @(Test-KratosIdp -ConfigPath $Cfg -Quiet)
        $q | ForEach-Object { $_ | Should -BeOfType ([bool]) }
        # github: its mapper file:///etc/config/kratos/oidc.github.jsonnet doesn't exist here.
        $q | Should -Be @($false, $true, $true, $false)
    }

    It '-Offline sends nothing and reports the online checks as Skipped' {
        $before = @(Get-FakeIdpRequest $Idp).Count
        $r = Test-KratosIdp keycloak -ConfigPath $Cfg -Offline
        foreach ($c in 'Discovery', 'Issuer', 'ResponseType', 'Scopes', 'Pkce', 'Jwks') {
            ($r | Where-Object Check -eq $c).Result | Should -Be Skipped
        }
        @(Get-FakeIdpRequest $Idp).Count | Should -Be $before
    }

    It 'a self-signed certificate, a timeout and a 404 are Fails with their reason, not errors' {
        $cfg = New-KratosConfig
        $null = Add-KratosIdp tls -ConfigPath $cfg -Provider generic -IssuerUrl "$($Idp.Https)/keycloak/auth/realms/simple_openid_test" -ClientId t -ClientSecret $Secret
        $null = Add-KratosIdp slow -ConfigPath $cfg -Provider generic -IssuerUrl "$($Idp.Http)/broken/slow" -ClientId s -ClientSecret $Secret
        $null = Add-KratosIdp gone -ConfigPath $cfg -Provider generic -IssuerUrl "$($Idp.Http)/broken/not-found" -ClientId g -ClientSecret $Secret
        $errors = $null
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $r = Test-KratosIdp tls, slow, gone -ConfigPath $cfg -TimeoutSec 1 -ErrorVariable errors
        $sw.Stop()
        $errors | Should -BeNullOrEmpty
        $d = @{}; $r | Where-Object Check -eq Discovery | ForEach-Object { $d[$_.IdP] = $_ }
        $d.tls.Result | Should -Be Fail
        $d.tls.Message | Should -Match 'failed TLS: the certificate is not issued by an authority this machine trusts'
        $d.slow.Message | Should -Match 'gave no answer within 1 s'
        $d.gone.Message | Should -Match 'answered 404'
        # The three ran side by side: the slow one's second is not added to the others.
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 5
    }

    It 'checks the entries against the Kratos release: the version: key, or -KratosVersion' {
        $cfg = New-KratosConfig   # version: v1.3.0
        $null = Add-KratosIdp kc -ConfigPath $cfg -Provider generic -IssuerUrl $Realm -ClientId k -ClientSecret $Secret -ClaimsSource userinfo -Pkce force
        (Test-KratosIdp kc -ConfigPath $cfg -Offline | Where-Object Check -eq KratosVersion).Message | Should -Match "v1.3.0 \(the config file's version: key\) accepts"
        $v = Test-KratosIdp kc -ConfigPath $cfg -Offline -KratosVersion v1.1.0 | Where-Object Check -eq KratosVersion
        $v.Result | Should -Be Fail
        $v.Message | Should -Match "key 'pkce' \(from v1.3.0\)"
        # A -KratosVersion that is no release number stops the command, as on every cmdlet.
        $e = Get-CmdletError { Test-KratosIdp kc -ConfigPath $cfg -Offline -KratosVersion latest }
        Get-ErrorId $e | Should -Be 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match "-KratosVersion 'latest' is not a Kratos release number"
    }

    It 'never puts a secret into output, verbose text or a request' {
        $out = Test-KratosIdp -ConfigPath $Cfg -Verbose 4>&1 | Out-String -Width 400
        $out | Should -Not -Match ([regex]::Escape($SecretText))
        (Test-KratosIdp -ConfigPath $Cfg | ConvertTo-Json -Depth 4) | Should -Not -Match ([regex]::Escape($SecretText))
        $requests = @(Get-FakeIdpRequest $Idp)
        $requests.Count | Should -BeGreaterThan 0
        foreach ($q in $requests) {
            $q.Method | Should -Be 'GET'
            $q.Body | Should -BeNullOrEmpty
            ($q | ConvertTo-Json -Depth 4) | Should -Not -Match ([regex]::Escape($SecretText))
        }
    }

    It 'changes nothing in the file' {
        $sha = Get-FileSha $Cfg
        $null = Test-KratosIdp -ConfigPath $Cfg
        Get-FileSha $Cfg | Should -Be $sha
    }

    It 'a missing config file stops the command with KratosConfigFileNotFound' {
        $e = Get-CmdletError { Test-KratosIdp -ConfigPath (Join-Path $TestDrive 'none.yml') }
        Get-ErrorId $e | Should -Be 'KratosConfigFileNotFound'
    }

    It 'uses the system proxy (HTTP_PROXY) for an http issuer' {
        # A host name that can't resolve (.invalid): only the proxy can answer for it.
        $cfg = New-KratosConfig
        $null = Add-KratosIdp viaproxy -ConfigPath $cfg -Provider generic -IssuerUrl 'http://idp.proxy-test.invalid/keycloak/auth/realms/simple_openid_test' -ClientId p -ClientSecret $Secret
        $saved = @{}
        foreach ($n in 'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy') { $saved[$n] = [Environment]::GetEnvironmentVariable($n); [Environment]::SetEnvironmentVariable($n, $null) }
        $env:HTTP_PROXY = $Idp.Http
        try {
            $script = "Import-Module '$($ModulePath.Replace("'", "''"))'; Test-KratosIdp viaproxy -ConfigPath '$($cfg.Replace("'", "''"))' -TimeoutSec 20 | ForEach-Object { '{0}={1}' -f `$_.Check, `$_.Result }"
            $child = Invoke-ChildPwsh $script
        }
        finally {
            foreach ($kv in $saved.GetEnumerator()) { [Environment]::SetEnvironmentVariable($kv.Key, $kv.Value) }
        }
        $child.Output | Should -Match 'Discovery=Pass'
        $child.Output | Should -Match 'Issuer=Pass'
        $child.Output | Should -Match 'Jwks=Pass'
        $proxied = @(Get-FakeIdpRequest $Idp | Where-Object { $_.RawTarget -like 'http://idp.proxy-test.invalid/*' })
        $proxied.RawTarget | Should -Contain 'http://idp.proxy-test.invalid/keycloak/auth/realms/simple_openid_test/.well-known/openid-configuration'
    }
}

Describe 'Test-KratosIdp views, help and completion' {
    BeforeAll {
        $script:Cfg2 = New-CheckedConfig
    }

    It 'the default view is a table of IdP, Check, Result, Message that fits 80 columns and wraps messages whole' {
        $checks = @(Test-KratosIdp -ConfigPath $Cfg2 -Offline)
        $lines = ($checks | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^IdP\s+Check\s+Result\s+Message\s*$'
        $at = $lines[0].IndexOf('Message')
        $at | Should -BeLessOrEqual 40 -Because 'the message keeps half of an 80-column line'
        foreach ($l in $lines) { $l.TrimEnd().Length | Should -BeLessOrEqual 80 }
        ($lines -join "`n") | Should -Match 'keycloak\s+KratosVersion\s+Pass'
        # Every message is there whole, wrapped in its column, not cut.
        $column = -join ($lines | Select-Object -Skip 2 | ForEach-Object { if ($_.Length -gt $at) { $_.Substring($at) } }) -replace '\s', ''
        foreach ($c in $checks) { $column | Should -Match ([regex]::Escape(($c.Message -replace '\s', ''))) }
    }

    It 'the list view shows the message whole, the URL and the target' {
        $text = Test-KratosIdp keycloak -ConfigPath $Cfg2 | Where-Object Check -eq Discovery | Format-List | Out-String -Width 300
        foreach ($p in 'IdP', 'Check', 'Result', 'Message', 'Url', 'Provider', 'ConfigPath') { $text | Should -Match "(?m)^$p\s+:" }
    }

    It '-Name completes the IdPs of the bound file, -KratosVersion the known releases' {
        (TabExpansion2 -inputScript "Test-KratosIdp -ConfigPath '$Cfg2' -Name key" -cursorColumn ("Test-KratosIdp -ConfigPath '$Cfg2' -Name key").Length).CompletionMatches.CompletionText | Should -Contain 'keycloak'
        $line = 'Test-KratosIdp -KratosVersion v1.'
        $c = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $c | Should -Contain 'v1.3.0'
        $c | Should -Contain 'v1.1.0'
        $c | Should -Not -Contain 'v26.2.0'
    }

    It 'declares both output types' {
        (Get-Command Test-KratosIdp).OutputType.Type | Should -Contain ([ExternalIdp.KratosIdpCheck])
        (Get-Command Test-KratosIdp).OutputType.Type | Should -Contain ([bool])
    }
}

Describe 'Test-KratosIdp on a Juju model' -Skip:(-not (Test-Path (Join-Path $PSScriptRoot '../fakes/FakeJuju.psm1'))) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../fakes/FakeJuju.psm1') -Force
    }
    BeforeEach {
        $script:Fake = New-FakeJujuModel -Idps 2
    }
    AfterEach {
        Remove-FakeJujuModel $Fake
    }

    It 'reads the model with two juju calls, however many IdPs are piped in' {
        Invoke-FakeJuju $Fake config google-idp provider=generic "issuer_url=$Realm" | Out-Null
        $idps = Get-KratosIdp
        Clear-FakeJujuLog $Fake
        $r = @($idps | Test-KratosIdp -KratosVersion 26.2)
        @(Get-FakeJujuCall $Fake).Command | Should -Be @('status', 'export-bundle')
        $r.IdP | Select-Object -Unique | Should -Be @('github-idp', 'google-idp')
        $g = @{}; $r | Where-Object IdP -eq google-idp | ForEach-Object { $g[$_.Check] = $_ }
        $g.Settings.Result | Should -Be Pass
        $g.KratosVersion.Result | Should -Be Pass
        $g.Discovery.Result | Should -Be Pass
        $g.Issuer.Result | Should -Be Pass
        # The charm's default scope (profile email address phone): this realm lists them all.
        $g.Scopes.Message | Should -Match "integrator charm's default"
        $g.Scopes.Result | Should -Be Pass
        $g.Settings.Model | Should -Not -BeNullOrEmpty
        ($r | ConvertTo-Json -Depth 3) | Should -Not -Match 'seed-secret'
    }

    It 'checks against the kratos workload version juju status shows; an unrelated integrator fails' {
        Invoke-FakeJuju $Fake remove-relation github-idp kratos | Out-Null
        $r = Test-KratosIdp -Offline
        ($r | Where-Object { $_.IdP -eq 'github-idp' -and $_.Check -eq 'Settings' }).Result | Should -Be Fail
        $v = $r | Where-Object { $_.IdP -eq 'github-idp' -and $_.Check -eq 'KratosVersion' }
        $v.Result | Should -Be Pass
        $v.Message | Should -Match "Kratos v26.2.0 \(the workload version of 'kratos' in juju status\) accepts"
        @(Test-KratosIdp -Offline -Quiet) | Should -Be @($false, $true)
    }

    It 'without a workload version or -KratosVersion the release check is skipped with the reason' {
        $fake = New-FakeJujuModel -Idps 1 -KratosVersion none
        try {
            $v = Test-KratosIdp -Offline | Where-Object Check -eq KratosVersion
            $v.Result | Should -Be Skipped
            $v.Message | Should -Match "juju status shows no workload version for 'kratos'\. Pass -KratosVersion"
        }
        finally { Remove-FakeJujuModel $fake }
    }

    It 'an unknown kratos application stops the command with JujuKratosApplicationNotFound' {
        $e = Get-CmdletError { Test-KratosIdp -KratosApplication nokratos -Offline }
        Get-ErrorId $e | Should -Be 'JujuKratosApplicationNotFound'
    }
}
