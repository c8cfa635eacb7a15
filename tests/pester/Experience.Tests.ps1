# What a PowerShell user sees: format views (80 columns, no secrets), tab completion that never
# waits on juju, secrets from an Automation credential.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1

    function Get-Completions([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }

    # What Azure Automation's Get-AutomationPSCredential returns: a PSCredential.
    function Get-AutomationPSCredential([string] $Name) {
        [pscredential]::new("$Name-client-id", $Secret)
    }
}

Describe 'Format views' {
    BeforeAll {
        $cfg = New-KratosConfig
        $apple = ConvertTo-SecureString -String "-----BEGIN PRIVATE KEY-----`nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQgZq7AppleKeyDoNotLeak`n-----END PRIVATE KEY-----" -AsPlainText -Force
        $null = Add-KratosIdp 'a-rather-long-provider-identifier-name' -ConfigPath $cfg -Provider microsoft -TenantId organizations `
            -Credential (Get-AutomationPSCredential entra) -Label 'A label that is long enough to be cut somewhere'
        $null = Add-KratosIdp apple -ConfigPath $cfg -Provider apple -ClientId com.example.web -AppleTeamId ABCDE12345 -ApplePrivateKeyId KEYID12345 -ApplePrivateKey $apple
        $script:Idps = @(Get-KratosIdp -ConfigPath $cfg)
        $script:Uris = @($Idps | Get-KratosRedirectUri)
        $script:Url = Get-KratosPublicUrl -ConfigPath $cfg
        $script:Secrets = @($SecretText, 'gh-secret-in-file', 'ZqAppleKeyDoNotLeak', 'MIGTAgEAMBMGByqGSM49')
    }

    It 'the default table of KratosIdp fits an 80-column console, even with long names' {
        $text = $Idps | Out-String -Width 80
        $lines = $text -split "`r?`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Name\s+Provider\s+ProviderId\s+Enabled\s+Status\s*$'
        foreach ($l in $lines) { $l.TrimEnd().Length | Should -BeLessOrEqual 80 }
        $lines.Count | Should -Be ($Idps.Count + 2) -Because 'one line per IdP under the header and its rule'
    }

    It 'every output type has a table view and a list view; a redirect URI shows as a list by default' {
        foreach ($type in 'ExternalIdp.KratosIdp', 'ExternalIdp.KratosRedirectUri', 'ExternalIdp.KratosPublicUrl') {
            $controls = @((Get-FormatData -TypeName $type).FormatViewDefinition | ForEach-Object { $_.Control.GetType().Name })
            $default = if ($type -eq 'ExternalIdp.KratosRedirectUri') { 'ListControl' } else { 'TableControl' }
            $controls[0] | Should -Be $default -Because "the first view of $type is the default"
            $controls | Should -Contain 'ListControl'
            $controls | Should -Contain 'TableControl'
        }
        # The URI is what the user copies to the IdP: the default view never cuts it, even in 80 columns.
        $long = ($Uris | Sort-Object { $_.RedirectUri.Length } -Descending)[0]
        ($long | Out-String -Width 80) -replace '\s*\r?\n\s*', '' | Should -Match ([regex]::Escape($long.RedirectUri))
        ($Uris[0] | Format-List | Out-String -Width 200) | Should -Match '(?m)^RedirectUri\s+: https://auth\.example\.com/self-service/methods/oidc/callback/'
        ($Url | Format-List | Out-String -Width 200) | Should -Match '(?m)^PublicUrl\s+: https://auth\.example\.com'
    }

    It 'no view of any output type shows a secret' {
        $views = foreach ($o in @($Idps) + @($Uris) + @($Url)) {
            $o | Out-String -Width 300
            $o | Format-Table | Out-String -Width 300
            $o | Format-List | Out-String -Width 300
            $o | Format-List * | Out-String -Width 300
            $o | Format-Custom | Out-String -Width 300
            $o | ConvertTo-Json -Depth 5
        }
        $all = $views -join "`n"
        $all | Should -Match 'a-rather-long-provider' -Because 'the views did render'
        $all | Should -Match 'HasClientSecret\s+:\s+True'
        $all | Should -Match 'HasApplePrivateKey\s+:\s+True'
        foreach ($s in $Secrets) { $all | Should -Not -Match ([regex]::Escape($s)) }
    }

    It 'the output types have no property that could hold a secret' {
        foreach ($type in $Idps[0].GetType(), $Uris[0].GetType(), $Url.GetType()) {
            foreach ($p in $type.GetProperties()) {
                $p.Name | Should -Not -Match '^(ClientSecret|Secret|ApplePrivateKey|PrivateKey|Password)$' -Because "$($type.Name).$($p.Name)"
            }
        }
    }
}

Describe 'Tab completion' {
    It '-Provider on a config file lists every Kratos kind, on Juju only the charm''s' {
        $cfg = New-KratosConfig
        $file = @(Get-Completions "Add-KratosIdp -ConfigPath '$cfg' -Provider ")
        $juju = @(Get-Completions 'Add-KratosIdp -Provider ')
        $file | Should -Contain 'salesforce'
        $juju | Should -Not -Contain 'salesforce'
        foreach ($k in 'google', 'microsoft', 'github', 'apple', 'generic') { $file | Should -Contain $k; $juju | Should -Contain $k }
        $juju.Count | Should -BeLessThan $file.Count
    }

    It '-TenantId offers common, organizations and consumers on Add and Set' {
        foreach ($c in 'Add-KratosIdp', 'Set-KratosIdpProvider') {
            $all = Get-Completions "$c -TenantId "
            @($all) | Should -Be @('common', 'organizations', 'consumers')
        }
    }

    It '-Provider and -TenantId never call juju, so a hanging juju can''t slow them down' -Skip:(-not (Test-Path (Join-Path $PSScriptRoot '../fakes/FakeJuju.psm1'))) {
        Import-Module (Join-Path $PSScriptRoot '../fakes/FakeJuju.psm1') -Force
        $model = New-FakeJujuModel -Idps 1
        try {
            $env:FAKE_JUJU_HANG = 'version,status,export-bundle,config,show-unit,run,switch'
            Clear-FakeJujuLog $model
            Get-Completions 'Add-KratosIdp -Provider goo' | Should -Be @('google')
            Get-Completions 'Set-KratosIdpProvider -TenantId org' | Should -Be @('organizations')
            Get-Completions 'Add-KratosIdp -Model iam -Provider micro' | Should -Be @('microsoft')
            @(Get-FakeJujuCall $model -IncludeVersion) | Should -HaveCount 0 -Because 'completing -Provider or -TenantId runs no juju command'
        }
        finally {
            $env:FAKE_JUJU_HANG = $null
            Remove-FakeJujuModel $model
        }
    }
}

Describe 'Secrets from an Automation credential' {
    It 'Add takes -Credential from Get-AutomationPSCredential, and Set takes a PSCredential as -ClientSecret' {
        $cfg = New-KratosConfig
        $idp = Add-KratosIdp entra -ConfigPath $cfg -Provider microsoft -TenantId common -Credential (Get-AutomationPSCredential entra)
        $idp.ClientId | Should -Be 'entra-client-id'
        $idp.HasClientSecret | Should -BeTrue
        (Get-Content -Raw $cfg) | Should -Match "client_secret: $([regex]::Escape($SecretText))"
        $rotated = [pscredential]::new('ignored', (ConvertTo-SecureString -String 'rotated-secret-value' -AsPlainText -Force))
        Set-KratosIdpProvider entra -ConfigPath $cfg -ClientSecret $rotated
        (Get-Content -Raw $cfg) | Should -Match 'client_secret: rotated-secret-value'
        (Get-KratosIdp entra -ConfigPath $cfg).ClientId | Should -Be 'entra-client-id' -Because 'the user name of a -ClientSecret credential is not the client id'
    }
}
