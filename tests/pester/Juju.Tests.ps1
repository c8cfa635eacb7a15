# The Juju workflow through the cmdlets, against the fake juju (tests/fakes), on Juju 3.x and 2.9.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Import-Module (Join-Path $PSScriptRoot '../fakes/FakeJuju.psm1') -Force

    $script:Tenant = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490'
    $script:MsClient = 'c3d7e1a2-ms-client'
    $script:GoogleClient = '123-google.apps.googleusercontent.com'

    # A temp folder of this session's own (the module and every juju it starts use it), so that the
    # option-file counts below see only this session's files, whatever else runs on the machine.
    $script:PrivateTemp = Join-Path ([IO.Path]::GetTempPath()) ('eidp-juju-tests-' + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory -Path $script:PrivateTemp | Out-Null
    $script:TempBefore = @{ TMPDIR = $env:TMPDIR; TEMP = $env:TEMP; TMP = $env:TMP }
    $env:TMPDIR = $env:TEMP = $env:TMP = $script:PrivateTemp

    function Get-OptionFile {
        # Option files the Juju target may have left in the (private) temp folder.
        @(Get-ChildItem -LiteralPath ([IO.Path]::GetTempPath()) -Filter 'externalidp-*.yaml' -ErrorAction SilentlyContinue)
    }
}

AfterAll {
    foreach ($kv in $script:TempBefore.GetEnumerator()) { [Environment]::SetEnvironmentVariable($kv.Key, $kv.Value) }
    Remove-Item -LiteralPath $script:PrivateTemp -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Juju workflow on <_>' -ForEach '3.6.1-genericlinux-amd64', '2.9.49-ubuntu-amd64' {
    BeforeEach {
        $script:Legacy = $_.StartsWith('2.')
        $script:Fake = New-FakeJujuModel -Version $_
        $script:FilesBefore = (Get-OptionFile).Count
    }
    AfterEach {
        Remove-FakeJujuModel $Fake
    }

    It 'adds microsoft and google, reads the redirect URI, and removes' {
        $verbose = @()
        $ms = Add-KratosIdp -Provider microsoft -ClientId $MsClient -ClientSecret $Secret -TenantId $Tenant -Verbose 4>&1 |
            Tee-Object -Variable verbose | Where-Object { $_ -is [ExternalIdp.KratosIdp] }
        $ms.Name | Should -Be 'microsoft-idp'
        $ms.Provider | Should -Be 'microsoft'
        $ms.TenantId | Should -Be $Tenant
        $ms.HasClientSecret | Should -BeTrue
        $ms.TargetType | Should -Be 'Juju'
        $ms.KratosApplication | Should -Be 'kratos'
        $calls = @(Get-FakeJujuCall $Fake)
        $calls.Count | Should -BeLessOrEqual 3
        $calls.Command | Should -Be @('export-bundle', 'deploy', $(if ($Legacy) { 'add-relation' } else { 'integrate' }))
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'juju deploy kratos-external-idp-integrator microsoft-idp'
        Test-FakeJujuRelated $Fake 'microsoft-idp' | Should -BeTrue
        (Get-FakeJujuApplication $Fake 'microsoft-idp').Config.client_secret | Should -Be $SecretText

        $g = Add-KratosIdp google-sso -Provider google -ClientId $GoogleClient -ClientSecret $Secret -ProviderId corp-google -Label 'Corp Google' -Wait -TimeoutSec 30
        $g.Name | Should -Be 'google-sso'
        $g.Status | Should -Be 'active'
        $g.RedirectUri | Should -Be 'https://iam.example.com/self-service/methods/oidc/callback/corp-google'

        $all = @(Get-KratosIdp)
        $all.Name | Should -Be @('google-sso', 'microsoft-idp')
        ($all | Where-Object Name -eq 'microsoft-idp').ProviderId | Should -Match '^microsoft_[0-9a-f]{40}$'

        Clear-FakeJujuLog $Fake
        $uri = Get-KratosIdp -Name google-* | Get-KratosRedirectUri
        $uri.RedirectUri | Should -Be 'https://iam.example.com/self-service/methods/oidc/callback/corp-google'
        $uri.Source | Should -Be 'Action'
        @(Get-FakeJujuCall $Fake | Where-Object Command -in 'run', 'run-action').Count | Should -Be 1

        Get-KratosIdp -Name microsoft-idp | Remove-KratosIdp
        Test-FakeJujuRelated $Fake 'microsoft-idp' | Should -BeFalse
        (Get-KratosIdp -Name microsoft-idp).Related | Should -BeFalse
        Remove-KratosIdp -Name microsoft-idp -RemoveApplication
        Get-FakeJujuApplication $Fake 'microsoft-idp' | Should -BeNullOrEmpty
        Get-FakeJujuApplication $Fake 'kratos' | Should -Not -BeNullOrEmpty

        Get-Content -Raw -LiteralPath $Fake.LogPath | Should -Not -Match ([regex]::Escape($SecretText))
        (Get-OptionFile).Count | Should -Be $FilesBefore
    }

    It 'computes the redirect URI when the action cannot answer yet, unless -ActionOnly' {
        # The fake registers a new integrator at the first `juju status` after integrate, and the
        # computed URI needs status (for the public URL): ask with -ActionOnly first.
        Add-KratosIdp -Provider github -ClientId gh-client -ClientSecret $Secret | Out-Null
        $e = Get-CmdletError { Get-KratosRedirectUri -Name github-idp -ActionOnly }
        Get-ErrorId $e | Should -Be 'KratosRedirectUriUnavailable'
        $e.Exception.Message | Should -Match 'No redirect uri is found'
        $r = Get-KratosRedirectUri -Name github-idp
        $r.Source | Should -Be 'Computed'
        $r.Reason | Should -Match 'No redirect uri is found'
        $r.RedirectUri | Should -Match '^https://iam\.example\.com/self-service/methods/oidc/callback/github_[0-9a-f]{40}$'
        (Get-KratosRedirectUri -Name github-idp -ActionOnly).Source | Should -Be 'Action'
    }

    It 'changes settings with Set-KratosIdpProvider and warns when the provider id changes' {
        $fake = $Fake
        Add-KratosIdp -Provider github -ClientId gh-client -ClientSecret $Secret | Out-Null
        Clear-FakeJujuLog $fake
        $warnings = @()
        $idp = Set-KratosIdpProvider -Name github-idp -ProviderId github -Label 'GitHub staff' -PassThru -WarningVariable warnings -WarningAction SilentlyContinue
        $idp.ProviderId | Should -Be 'github'
        $idp.Label | Should -Be 'GitHub staff'
        @(Get-FakeJujuCall $fake).Count | Should -BeLessOrEqual 2
        ($warnings -join "`n") | Should -Match 'redirect URI'
        (Get-FakeJujuApplication $fake 'github-idp').Config.provider_id | Should -Be 'github'
    }

    It 'disables and enables an IdP' {
        Add-KratosIdp -Provider github -ClientId gh-client -ClientSecret $Secret | Out-Null
        Disable-KratosIdp -Name github-idp
        (Get-KratosIdp -Name github-idp).Enabled | Should -BeFalse
        (Get-KratosIdp -Name github-idp).StatusMessage | Should -Be 'The OIDC provider is disabled'
        Enable-KratosIdp -Name github-idp
        (Get-KratosIdp -Name github-idp).Enabled | Should -BeTrue
    }

    It '-WhatIf changes nothing' {
        Add-KratosIdp -Provider github -ClientId gh-client -ClientSecret $Secret -WhatIf | Should -BeNullOrEmpty
        Get-FakeJujuApplication $Fake 'github-idp' | Should -BeNullOrEmpty
        @(Get-FakeJujuCall $Fake | Where-Object Command -ne 'export-bundle').Count | Should -Be 0
    }
}

Describe 'Juju errors' {
    BeforeEach {
        $script:Fake = New-FakeJujuModel
        $script:FilesBefore = (Get-OptionFile).Count
    }
    AfterEach {
        Remove-FakeJujuModel $Fake
    }

    It 'refuses a provider the charm cannot configure, before juju is run' {
        $e = Get-CmdletError { Add-KratosIdp -Provider yandex -ClientId c -ClientSecret $Secret }
        Get-ErrorId $e | Should -Be 'KratosIdpProviderNotSupported'
        $e.Exception.Message | Should -Match 'yander'
        @(Get-FakeJujuCall $Fake -IncludeVersion).Count | Should -Be 0
    }

    It 'refuses -Pkce, which the charm has no option for' {
        $e = Get-CmdletError { Add-KratosIdp -Provider google -ClientId c -ClientSecret $Secret -Pkce force }
        Get-ErrorId $e | Should -Be 'KratosIdpParameterNotSupported'
    }

    It 'refuses a value that would break the Kratos config, without showing the secret' {
        $bad = ConvertTo-SecureString -String 'abc #comment-SECRET' -AsPlainText -Force
        $e = Get-CmdletError { Add-KratosIdp -Provider google -ClientId c -ClientSecret $bad }
        Get-ErrorId $e | Should -Be 'JujuUnsafeValue'
        ($e | Out-String) | Should -Not -Match 'comment-SECRET'
    }

    It 'names an unknown model' {
        $e = Get-CmdletError { Get-KratosIdp -Model nope }
        Get-ErrorId $e | Should -Be 'JujuModelNotFound'
        $e.Exception.Message | Should -Match 'nope'
    }

    It 'names a missing kratos application' {
        $e = Get-CmdletError { Get-KratosIdp -KratosApplication identity }
        Get-ErrorId $e | Should -Be 'JujuKratosApplicationNotFound'
    }

    It 'reports a half-done Add and finishes it on the re-run' {
        $env:FAKE_JUJU_FAIL = 'integrate'
        $e = Get-CmdletError { Add-KratosIdp -Provider github -ClientId gh-client -ClientSecret $Secret }
        Get-ErrorId $e | Should -Be 'JujuPartialState'
        $e.Exception.Message | Should -Match 'again'
        $env:FAKE_JUJU_FAIL = $null
        $idp = Add-KratosIdp -Provider github -ClientId gh-client -ClientSecret $Secret
        $idp.Name | Should -Be 'github-idp'
        Test-FakeJujuRelated $Fake 'github-idp' | Should -BeTrue
        (Get-OptionFile).Count | Should -Be $FilesBefore
    }

    It 'stops a hung juju after -TimeoutSec and leaves no options file' {
        $env:FAKE_JUJU_HANG = 'deploy'
        $e = Get-CmdletError { Add-KratosIdp -Provider github -ClientId gh-client -ClientSecret $Secret -TimeoutSec 3 }
        Get-ErrorId $e | Should -Be 'JujuTimeout'
        $e.Exception.Message | Should -Match 'juju deploy'
        (Get-OptionFile).Count | Should -Be $FilesBefore
        [IO.Path]::GetTempPath() | Should -BeLike "$PrivateTemp*"
    }

    It 'never removes kratos' {
        $e = Get-CmdletError { Remove-KratosIdp -Name kratos -RemoveApplication }
        Get-ErrorId $e | Should -Be 'KratosIdpNotFound'
        Get-FakeJujuApplication $Fake 'kratos' | Should -Not -BeNullOrEmpty
    }
}

Describe 'Juju public URL' {
    It 'reads kratos 2.x from traefik-route and kratos 1.x from show-proxied-endpoints' {
        $fake = New-FakeJujuModel
        try { (Get-KratosPublicUrl).PublicUrl | Should -Be 'https://iam.example.com' }
        finally { Remove-FakeJujuModel $fake }
        $fake = New-FakeJujuModel -Seed kratos1
        try { (Get-KratosPublicUrl).PublicUrl | Should -Be 'https://iam.example.com/iam-kratos' }
        finally { Remove-FakeJujuModel $fake }
    }
}
