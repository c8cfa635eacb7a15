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

Describe 'Juju workflow with the juju snap, confinement <Confined>' -ForEach @(@{ Confined = $true }, @{ Confined = $false }) {
    BeforeEach {
        # The fake at a path with /snap/ in it, HOME a folder of the model's own.
        $script:Fake = New-FakeJujuModel -Snap -Confined:$Confined
        $script:FilesBefore = (Get-OptionFile).Count
    }
    AfterEach {
        Remove-FakeJujuModel $Fake
    }

    It 'adds, lists, changes, disables, enables and removes, handing juju only what it can read' {
        $snapCommon = Join-Path $Fake.Home 'snap/juju/common'
        $rotatedText = 'rotated-SNAP-0042-secret'
        $rotated = ConvertTo-SecureString -String $rotatedText -AsPlainText -Force

        $ms = Add-KratosIdp -Provider microsoft -ClientId $MsClient -ClientSecret $Secret -TenantId $Tenant
        $ms.Related | Should -BeTrue
        $deploy = @(Get-FakeJujuCall $Fake | Where-Object Command -eq 'deploy')
        $deploy.Count | Should -Be 1
        $deploy[0].Files[0].path | Should -BeLike (Join-Path $snapCommon 'externalidp-*.yaml')
        if (-not $IsWindows) { $deploy[0].Files[0].mode | Should -Be '600' }
        @(Get-FakeJujuCall $Fake).Count | Should -BeLessOrEqual 3

        (Get-KratosIdp).Name | Should -Be 'microsoft-idp'

        Clear-FakeJujuLog $Fake
        Set-KratosIdpProvider microsoft-idp -ClientSecret $rotated -Label Staff
        $calls = @(Get-FakeJujuCall $Fake)
        $calls.Count | Should -BeLessOrEqual 2
        ($calls | Where-Object Command -eq 'config').Argv | Should -Be @('config', 'microsoft-idp', '--file', '-')
        (Get-FakeJujuApplication $Fake 'microsoft-idp').Config.client_secret | Should -Be $rotatedText

        (Get-KratosRedirectUri microsoft-idp).Source | Should -Be 'Action'
        (Disable-KratosIdp microsoft-idp -Wait -TimeoutSec 30 -PassThru).StatusMessage | Should -Be 'The OIDC provider is disabled'
        (Enable-KratosIdp microsoft-idp -Wait -TimeoutSec 30 -PassThru).StatusMessage | Should -Be 'The OIDC provider is ready'
        (Remove-KratosIdp microsoft-idp -PassThru).Name | Should -Be 'microsoft-idp'
        Remove-KratosIdp microsoft-idp -RemoveApplication
        Get-FakeJujuApplication $Fake 'microsoft-idp' | Should -BeNullOrEmpty

        $log = Get-Content -Raw -LiteralPath $Fake.LogPath
        $log | Should -Not -Match ([regex]::Escape($SecretText))
        $log | Should -Not -Match $rotatedText
        @(Get-ChildItem -LiteralPath $snapCommon -Force).Count | Should -Be 0
        (Get-OptionFile).Count | Should -Be $FilesBefore
    }
}

Describe '-TimeoutSec on every Juju cmdlet' {
    BeforeAll {
        $script:Fake = New-FakeJujuModel -Idps 2
        # Registers the seeded IdPs and asks `juju version` once, so each case below meets only its hang.
        Get-KratosIdp | Out-Null
        Get-KratosRedirectUri github-idp | Out-Null
    }
    AfterAll {
        $env:FAKE_JUJU_HANG = $null
        Remove-FakeJujuModel $Fake
    }

    It 'every cmdlet has -TimeoutSec, 300 by default' {
        foreach ($c in 'Add-KratosIdp', 'Get-KratosIdp', 'Set-KratosIdpProvider', 'Remove-KratosIdp', 'Enable-KratosIdp', 'Disable-KratosIdp', 'Get-KratosRedirectUri', 'Get-KratosPublicUrl') {
            (Get-Command $c).Parameters['TimeoutSec'].ParameterType | Should -Be ([int]) -Because "$c has -TimeoutSec"
        }
        [ExternalIdp.Commands.GetKratosIdpCommand]::new().TimeoutSec | Should -Be 300
        (Get-Command Enable-KratosIdp).Parameters['Wait'] | Should -Not -BeNullOrEmpty
        (Get-Command Disable-KratosIdp).Parameters['Wait'] | Should -Not -BeNullOrEmpty
    }

    It '<Name> stops a hung juju <Hang> after -TimeoutSec' -ForEach @(
        @{ Name = 'Get-KratosIdp'; Hang = 'status'; Within = 3; Script = { Get-KratosIdp -TimeoutSec 3 } }
        @{ Name = 'Add-KratosIdp'; Hang = 'export-bundle'; Within = 3; Script = { Add-KratosIdp -Provider gitlab -ClientId gl-client -ClientSecret $Secret -TimeoutSec 3 } }
        @{ Name = 'Set-KratosIdpProvider'; Hang = 'export-bundle'; Within = 3; Script = { Set-KratosIdpProvider github-idp -Label Octo -TimeoutSec 3 } }
        @{ Name = 'Remove-KratosIdp'; Hang = 'status'; Within = 3; Script = { Remove-KratosIdp github-idp -TimeoutSec 3 } }
        @{ Name = 'Enable-KratosIdp'; Hang = 'export-bundle'; Within = 3; Script = { Enable-KratosIdp github-idp -TimeoutSec 3 } }
        @{ Name = 'Disable-KratosIdp'; Hang = 'export-bundle'; Within = 3; Script = { Disable-KratosIdp github-idp -TimeoutSec 3 } }
        # juju waits -TimeoutSec for an action itself; it is given as long again (at most 15 s more) to say so.
        @{ Name = 'Get-KratosRedirectUri'; Hang = 'run'; Within = 6; Script = { Get-KratosRedirectUri github-idp -TimeoutSec 3 } }
        @{ Name = 'Get-KratosPublicUrl'; Hang = 'status'; Within = 3; Script = { Get-KratosPublicUrl -TimeoutSec 3 } }
    ) {
        $env:FAKE_JUJU_HANG = $Hang
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $e = Get-CmdletError $Script
            $watch.Stop()
        }
        finally { $env:FAKE_JUJU_HANG = $null }
        Get-ErrorId $e | Should -Be 'JujuTimeout'
        $e.Exception.Message | Should -Match "'juju $Hang"
        $e.Exception.Message | Should -Match "within $Within s"
        $watch.Elapsed.TotalSeconds | Should -BeLessThan ($Within + 20) -Because 'the default is 300 s'
        # Nothing was changed.
        Test-FakeJujuRelated $Fake 'github-idp' | Should -BeTrue
        (Get-FakeJujuApplication $Fake 'github-idp').Config.enabled | Should -BeNullOrEmpty
        Get-FakeJujuApplication $Fake 'gitlab-idp' | Should -BeNullOrEmpty
    }

    It '<Case> is refused for a config file, like the other Juju-only parameters' -ForEach @(
        @{ Case = 'Get-KratosIdp -TimeoutSec'; Script = { param($c) Get-KratosIdp -ConfigPath $c -TimeoutSec 10 } }
        @{ Case = 'Remove-KratosIdp -TimeoutSec'; Script = { param($c) Remove-KratosIdp github -ConfigPath $c -TimeoutSec 10 } }
        @{ Case = 'Disable-KratosIdp -Wait'; Script = { param($c) Disable-KratosIdp github -ConfigPath $c -Wait } }
        @{ Case = 'Get-KratosRedirectUri -TimeoutSec'; Script = { param($c) Get-KratosRedirectUri github -ConfigPath $c -TimeoutSec 10 } }
        @{ Case = 'Get-KratosPublicUrl -TimeoutSec'; Script = { param($c) Get-KratosPublicUrl -ConfigPath $c -TimeoutSec 10 } }
    ) {
        $cfg = New-KratosConfig
        $e = Get-CmdletError { & $Script $cfg }
        Get-ErrorId $e | Should -Be 'KratosIdpParameterNotSupported'
        $e.Exception.Message | Should -Match 'only to a Juju model'
    }
}

Describe 'Remove-KratosIdp -PassThru on Juju' {
    It 'emits only the IdPs it removed' {
        $fake = New-FakeJujuModel -Idps 2
        try {
            Invoke-FakeJuju $fake remove-relation google-idp kratos | Out-Null
            $warnings = @()
            $out = @(Remove-KratosIdp github-idp, google-idp -PassThru -WarningVariable warnings -WarningAction SilentlyContinue)
            $out.Name | Should -Be @('github-idp')
            $out[0].Related | Should -BeTrue
            ($warnings -join "`n") | Should -Match "'google-idp' is not related"
            Test-FakeJujuRelated $fake 'github-idp' | Should -BeFalse
            # With -RemoveApplication the unrelated one is removed, and emitted.
            (Remove-KratosIdp google-idp -RemoveApplication -PassThru).Name | Should -Be 'google-idp'
        }
        finally { Remove-FakeJujuModel $fake }
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

    It 'refuses <Parameter>, which the integrator cannot pass, on Add and Set, before juju is run' -ForEach @(
        @{ Parameter = 'RequestedClaims'; Value = @{ id_token = @{ email = $null } } }
        @{ Parameter = 'OrganizationId'; Value = '0b8f3a52-7c1e-4d2a-9a55-3f0f8e2d4c11' }
        @{ Parameter = 'AdditionalIdTokenAudiences'; Value = @('ios') }
        @{ Parameter = 'AuthUrl'; Value = 'https://sso.example.com/authorize' }
        @{ Parameter = 'TokenUrl'; Value = 'https://sso.example.com/token' }
        @{ Parameter = 'AccountLinkingMode'; Value = 'automatic' }
        @{ Parameter = 'SubjectSource'; Value = 'oid' }
    ) {
        $extra = @{ $Parameter = $Value }
        $e = Get-CmdletError { Add-KratosIdp -Provider microsoft -TenantId common -ClientId c -ClientSecret $Secret @extra }
        Get-ErrorId $e | Should -Be 'KratosIdpParameterNotSupported'
        $e.Exception.Message | Should -Match "-$Parameter can't be set on Juju"
        $e = Get-CmdletError { Set-KratosIdpProvider some-idp @extra }
        Get-ErrorId $e | Should -Be 'KratosIdpParameterNotSupported'
        @(Get-FakeJujuCall $Fake -IncludeVersion).Count | Should -Be 0
    }

    It 'says which Kratos release the model runs: the workload version in juju status, or -KratosVersion' {
        $null = Add-KratosIdp -Provider google -ClientId c -ClientSecret $Secret
        $idp = Get-KratosIdp google-idp
        $idp.KratosVersion | Should -Be 'v26.2.0'
        $idp.KratosVersionSource | Should -Be "the workload version of 'kratos' in juju status"
        (Get-KratosIdp google-idp -KratosVersion 1.1).KratosVersion | Should -Be 'v1.1.0'
    }

    It 'refuses a value that would break the Kratos config, without showing the secret' {
        $bad = ConvertTo-SecureString -String 'abc #comment-SECRET' -AsPlainText -Force
        $e = Get-CmdletError { Add-KratosIdp -Provider google -ClientId c -ClientSecret $bad }
        Get-ErrorId $e | Should -Be 'JujuUnsafeValue'
        ($e | Out-String) | Should -Not -Match 'comment-SECRET'
    }

    It 'refuses a numeric Facebook app id before juju is run, saying what Kratos would read' {
        $e = Get-CmdletError { Add-KratosIdp -Provider facebook -ClientId 1234567890 -ClientSecret $Secret }
        Get-ErrorId $e | Should -Be 'JujuUnsafeValue'
        $e.Exception.Message | Should -Match "the integer 1234567890"
        $e.Exception.Message | Should -Match 'unquoted|without quotes'
        $e.ErrorDetails.RecommendedAction | Should -Match 'number'
        @(Get-FakeJujuCall $Fake -IncludeVersion).Count | Should -Be 0
        $e = Get-CmdletError { Add-KratosIdp -Provider github -ClientId gh -ClientSecret $Secret -Label null }
        $e.Exception.Message | Should -Match "-Label 'null' would be read as null"
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
