# The cmdlets against a Kratos config file: every cmdlet, pipeline chains, -WhatIf, -PassThru.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
}

Describe 'Get-KratosIdp on a config file' {
    BeforeAll {
        $cfg = New-KratosConfig
    }

    It 'lists the existing provider with every property filled from the file' {
        $idps = @(Get-KratosIdp -ConfigPath $cfg)
        $idps | Should -HaveCount 1
        $gh = $idps[0]
        $gh | Should -BeOfType ([ExternalIdp.KratosIdp])
        $gh.Name | Should -Be 'github'
        $gh.ProviderId | Should -Be 'github'
        $gh.Provider | Should -Be 'github'
        $gh.ClientId | Should -Be 'gh-client'
        $gh.HasClientSecret | Should -BeTrue
        $gh.HasApplePrivateKey | Should -BeFalse
        $gh.Scope | Should -Be @('user:email')
        $gh.MapperUrl | Should -Be 'file:///etc/config/kratos/oidc.github.jsonnet'
        $gh.Enabled | Should -BeFalse -Because 'selfservice.methods.oidc.enabled is false in the file'
        $gh.Status | Should -Be 'Valid'
        $gh.Problems | Should -HaveCount 0
        $gh.TargetType | Should -Be 'ConfigFile'
        $gh.ConfigPath | Should -Be $cfg
        $gh.Model | Should -BeNullOrEmpty
    }

    It 'filters with wildcards, and a wildcard that matches nothing is no error' {
        @(Get-KratosIdp -ConfigPath $cfg -Name 'git*') | Should -HaveCount 1
        @(Get-KratosIdp -ConfigPath $cfg -Name 'zzz*' -ErrorAction Stop) | Should -HaveCount 0
    }

    It 'reports KratosIdpNotFound for a plain name that matches nothing, and still returns the others' {
        $found = Get-KratosIdp -ConfigPath $cfg -Name 'nope', 'github' -ErrorVariable errs -ErrorAction SilentlyContinue
        @($found).Name | Should -Be @('github')
        $errs | Should -HaveCount 1
        Get-ErrorId $errs[0] | Should -Be 'KratosIdpNotFound'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].Exception.Message | Should -Match 'github'
    }

    It 'resolves a relative -ConfigPath against the PowerShell location, not the process directory' {
        Push-Location (Split-Path $cfg)
        try {
            $idp = Get-KratosIdp -ConfigPath ./kratos.yml
            $idp.ConfigPath | Should -Be $cfg
            (Get-KratosIdp -Path kratos.yml).Name | Should -Be 'github'
        }
        finally { Pop-Location }
    }

    It 'takes -ConfigPath from the pipeline by property name' {
        $idp = [pscustomobject]@{ ConfigPath = $cfg } | Get-KratosIdp
        $idp.Name | Should -Be 'github'
    }
}

Describe 'Add-KratosIdp on a config file' {
    BeforeEach {
        $cfg = New-KratosConfig
    }

    It 'adds google with defaults, switches OIDC on and returns the new IdP' {
        $idp = Add-KratosIdp -ConfigPath $cfg -Provider google -ProviderId google -ClientId 'g-client.apps.googleusercontent.com' -ClientSecret $Secret
        $idp | Should -BeOfType ([ExternalIdp.KratosIdp])
        $idp.Name | Should -Be 'google'
        $idp.ProviderId | Should -Be 'google'
        $idp.Provider | Should -Be 'google'
        $idp.ClientId | Should -Be 'g-client.apps.googleusercontent.com'
        $idp.Label | Should -Be 'Google'
        $idp.Scope | Should -Be @('email', 'profile')
        $idp.HasClientSecret | Should -BeTrue
        $idp.Enabled | Should -BeTrue
        $idp.Status | Should -Be 'Valid'
        $idp.MapperUrl | Should -BeLike 'base64://*'
        $idp.RedirectUri | Should -Be 'https://auth.example.com/self-service/methods/oidc/callback/google'
        $idp.RedirectUriSource | Should -Be 'Computed'
        $idp.ConfigPath | Should -Be $cfg
        $idp.TargetType | Should -Be 'ConfigFile'

        $all = @(Get-KratosIdp -ConfigPath $cfg)
        $all.Name | Should -Be @('github', 'google')
        $all | ForEach-Object { $_.Enabled | Should -BeTrue }
        $text = Get-Content -Raw $cfg
        $text | Should -Match '(?m)^\s*# GitHub sign-in for staff$' -Because 'comments outside the new entry stay'
        $text | Should -Match 'client_secret: gh-secret-in-file'
    }

    It 'decodes to the default mapper, which maps only verified email' {
        $idp = Add-KratosIdp -ConfigPath $cfg -Provider google -ProviderId g2 -ClientId 'c' -ClientSecret $Secret
        $jsonnet = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($idp.MapperUrl.Substring(9)))
        $jsonnet | Should -Match 'email_verified'
    }

    It 'generates the provider id the integrator charm would when neither -Name nor -ProviderId is given' {
        $idp = Add-KratosIdp -ConfigPath $cfg -Provider google -ClientId 'client_id' -ClientSecret $Secret
        $idp.ProviderId | Should -Be ('google_' + (Get-Sha1Hex 'client_id'))
        $idp.Name | Should -Be $idp.ProviderId
    }

    It 'takes the positional -Name as the provider id and a PSCredential as client id and secret' {
        $cred = [pscredential]::new('entra-client-id', $Secret)
        $idp = Add-KratosIdp entra -ConfigPath $cfg -Provider microsoft -TenantId organizations -Credential $cred
        $idp.Name | Should -Be 'entra'
        $idp.ProviderId | Should -Be 'entra'
        $idp.ClientId | Should -Be 'entra-client-id'
        $idp.TenantId | Should -Be 'organizations'
        $idp.HasClientSecret | Should -BeTrue
        (Get-Content -Raw $cfg) | Should -Match ([regex]::Escape($SecretText)) -Because 'the secret is written to its destination'
    }

    It 'accepts a PSCredential for -ClientSecret (its password is used)' {
        $cred = [pscredential]::new('ignored', $Secret)
        $idp = Add-KratosIdp gl -ConfigPath $cfg -Provider gitlab -ClientId 'gl-client' -ClientSecret $cred
        $idp.HasClientSecret | Should -BeTrue
        (Get-Content -Raw $cfg) | Should -Match ([regex]::Escape($SecretText))
    }

    It 'adds a generic OIDC issuer with an explicit label, scope and a jsonnet mapper read from a file' {
        $mapper = Join-Path (Split-Path $cfg) 'mapper.jsonnet'
        $source = "local claims = std.extVar('claims');`n{ identity: { traits: { email: claims.email } } }`n"
        [IO.File]::WriteAllText($mapper, $source)
        Push-Location (Split-Path $cfg)
        try {
            $idp = Add-KratosIdp keycloak -ConfigPath kratos.yml -Provider generic -IssuerUrl 'https://sso.example.com/realms/main' `
                -ClientId kratos -ClientSecret $Secret -Label 'Company SSO' -Scope openid, email -JsonnetMapper ./mapper.jsonnet
        }
        finally { Pop-Location }
        $idp.IssuerUrl | Should -Be 'https://sso.example.com/realms/main'
        $idp.Label | Should -Be 'Company SSO'
        $idp.Scope | Should -Be @('openid', 'email')
        $decoded = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($idp.MapperUrl.Substring(9)))
        $decoded | Should -Be $source
    }

    It 'takes jsonnet source given inline' {
        $src = "{ identity: { traits: { email: std.extVar('claims').email } } }"
        $idp = Add-KratosIdp inline -ConfigPath $cfg -Provider google -ClientId c -ClientSecret $Secret -JsonnetMapper $src
        [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($idp.MapperUrl.Substring(9))) | Should -Be $src
    }

    It 'adds apple with its team id, key id and private key (no client secret)' {
        $pem = "-----BEGIN PRIVATE KEY-----`nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQgAPPLEKEYBODYxyz`n-----END PRIVATE KEY-----"
        $key = ConvertTo-SecureString -String $pem -AsPlainText -Force
        $idp = Add-KratosIdp apple -ConfigPath $cfg -Provider apple -ClientId com.example.web -AppleTeamId ABCDE12345 -ApplePrivateKeyId KEY1234567 -ApplePrivateKey $key
        $idp.Provider | Should -Be 'apple'
        $idp.AppleTeamId | Should -Be 'ABCDE12345'
        $idp.ApplePrivateKeyId | Should -Be 'KEY1234567'
        $idp.HasApplePrivateKey | Should -BeTrue
        $idp.HasClientSecret | Should -BeFalse
        (Get-KratosIdp -ConfigPath $cfg -Name apple).HasApplePrivateKey | Should -BeTrue
    }

    It 'works on a Helm values.yaml with -ConfigRoot, and the objects carry ConfigRoot' {
        $values = @'
image:
  tag: v1.3.0
kratos:
  automigration:
    enabled: true
  config:
    serve:
      public:
        base_url: https://id.example.org/kratos
    selfservice:
      methods:
        oidc:
          enabled: false
'@
        $path = New-KratosConfig -Content $values -Name values.yaml
        $idp = Add-KratosIdp google -ConfigPath $path -ConfigRoot kratos.config -Provider google -ClientId c -ClientSecret $Secret
        $idp.ConfigRoot | Should -Be 'kratos.config'
        $idp.RedirectUri | Should -Be 'https://id.example.org/kratos/self-service/methods/oidc/callback/google'
        $listed = Get-KratosIdp -ConfigPath $path -ConfigRoot kratos.config
        $listed.Name | Should -Be 'google'
        ($listed | Get-KratosRedirectUri).RedirectUri | Should -Be $idp.RedirectUri
        (Get-Content -Raw $path) | Should -Match '(?m)^image:\r?\n  tag: v1\.3\.0'
    }

    It 'works on a JSON config file, which stays JSON' {
        $json = @'
{
  "serve": { "public": { "base_url": "https://auth.example.com" } },
  "selfservice": {
    "methods": {
      "password": { "enabled": true },
      "oidc": { "enabled": false, "config": { "providers": [] } }
    }
  }
}
'@
        $path = New-KratosConfig -Content $json -Name kratos.json
        $idp = Add-KratosIdp google -ConfigPath $path -Provider google -ClientId 'c' -ClientSecret $Secret
        $idp.RedirectUri | Should -Be 'https://auth.example.com/self-service/methods/oidc/callback/google'
        $parsed = Get-Content -Raw $path | ConvertFrom-Json
        $parsed.selfservice.methods.oidc.enabled | Should -BeTrue
        $parsed.selfservice.methods.oidc.config.providers[0].id | Should -Be 'google'
        $parsed.selfservice.methods.oidc.config.providers[0].client_secret | Should -Be $SecretText
        Set-KratosIdpProvider google -ConfigPath $path -Label 'G Suite'
        (Get-Content -Raw $path | ConvertFrom-Json).selfservice.methods.oidc.config.providers[0].label | Should -Be 'G Suite'
        Remove-KratosIdp google -ConfigPath $path
        @((Get-Content -Raw $path | ConvertFrom-Json).selfservice.methods.oidc.config.providers) | Should -HaveCount 0
    }

    It 'changes nothing with -WhatIf and returns nothing' {
        $before = Get-FileSha $cfg
        $out = Add-KratosIdp -ConfigPath $cfg -Provider google -ProviderId google -ClientId c -ClientSecret $Secret -WhatIf
        $out | Should -BeNullOrEmpty
        Get-FileSha $cfg | Should -Be $before
    }

    It 'leaves no temporary file behind (a sidecar lock file may stay, empty)' {
        $null = Add-KratosIdp -ConfigPath $cfg -Provider google -ProviderId google -ClientId c -ClientSecret $Secret
        $left = @(Get-ChildItem -Force (Split-Path $cfg) | Where-Object Name -ne 'kratos.yml')
        foreach ($f in $left) {
            $f.Name | Should -Be 'kratos.yml.lock'
            $f.Length | Should -Be 0
        }
    }
}

Describe 'Set-KratosIdpProvider on a config file' {
    BeforeEach {
        $cfg = New-KratosConfig
    }

    It 'changes the label and returns nothing without -PassThru' {
        $out = Set-KratosIdpProvider github -ConfigPath $cfg -Label 'Staff GitHub'
        $out | Should -BeNullOrEmpty
        (Get-KratosIdp -ConfigPath $cfg -Name github).Label | Should -Be 'Staff GitHub'
    }

    It 'returns the changed IdP with -PassThru' {
        $idp = Set-KratosIdpProvider -Name github -ConfigPath $cfg -ClientId 'gh-new' -Scope 'read:user', 'user:email' -PassThru
        $idp | Should -BeOfType ([ExternalIdp.KratosIdp])
        $idp.ClientId | Should -Be 'gh-new'
        $idp.Scope | Should -Be @('read:user', 'user:email')
        $idp.ConfigPath | Should -Be $cfg
    }

    It 'rotates the client secret' {
        Set-KratosIdpProvider github -ConfigPath $cfg -ClientSecret $Secret
        $text = Get-Content -Raw $cfg
        $text | Should -Match ([regex]::Escape($SecretText))
        $text | Should -Not -Match 'gh-secret-in-file'
    }

    It 'removes the scope with an empty -Scope' {
        Set-KratosIdpProvider github -ConfigPath $cfg -Scope @()
        (Get-KratosIdp -ConfigPath $cfg -Name github).Scope | Should -HaveCount 0
        (Get-Content -Raw $cfg) | Should -Not -Match 'user:email'
    }

    It 'changes the kind to microsoft when the tenant is given' {
        $idp = Set-KratosIdpProvider github -ConfigPath $cfg -Provider microsoft -TenantId common -PassThru
        $idp.Provider | Should -Be 'microsoft'
        $idp.TenantId | Should -Be 'common'
        $idp.Status | Should -Be 'Valid'
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-FileSha $cfg
        Set-KratosIdpProvider github -ConfigPath $cfg -Label X -WhatIf
        Get-FileSha $cfg | Should -Be $before
    }

    It 'sees an edit made by another program between two commands, even one that keeps the length' {
        Set-KratosIdpProvider github -ConfigPath $cfg -Label 'Staff GitHub'
        (Get-KratosIdp -ConfigPath $cfg -Name github).Label | Should -Be 'Staff GitHub'
        # Edited by hand (same number of bytes), then by a longer edit: each is read afresh.
        $text = [IO.File]::ReadAllText($cfg)
        [IO.File]::WriteAllText($cfg, $text.Replace('Staff GitHub', 'Staff GitLab'))
        (Get-KratosIdp -ConfigPath $cfg -Name github).Label | Should -Be 'Staff GitLab'
        [IO.File]::WriteAllText($cfg, $text.Replace('Staff GitHub', 'GitHub for the whole staff'))
        Set-KratosIdpProvider github -ConfigPath $cfg -ClientId 'gh-after-hand-edit'
        $idp = Get-KratosIdp -ConfigPath $cfg -Name github
        $idp.Label | Should -Be 'GitHub for the whole staff'
        $idp.ClientId | Should -Be 'gh-after-hand-edit'
    }
}

Describe 'Remove-KratosIdp on a config file' {
    BeforeEach {
        $cfg = New-KratosConfig
        $null = Add-KratosIdp google -ConfigPath $cfg -Provider google -ClientId c -ClientSecret $Secret
    }

    It 'removes one entry and keeps the other' {
        $out = Remove-KratosIdp google -ConfigPath $cfg
        $out | Should -BeNullOrEmpty
        @(Get-KratosIdp -ConfigPath $cfg).Name | Should -Be @('github')
    }

    It 'returns the removed IdP with -PassThru' {
        $old = Remove-KratosIdp -Name google -ConfigPath $cfg -PassThru
        $old.Name | Should -Be 'google'
        $old.Provider | Should -Be 'google'
        @(Get-KratosIdp -ConfigPath $cfg -Name google -ErrorAction SilentlyContinue) | Should -HaveCount 0
    }

    It 'removes several names at once' {
        Remove-KratosIdp github, google -ConfigPath $cfg
        @(Get-KratosIdp -ConfigPath $cfg) | Should -HaveCount 0
        (Get-Content -Raw $cfg) | Should -Match 'providers: \[\]'
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-FileSha $cfg
        Remove-KratosIdp google -ConfigPath $cfg -WhatIf
        Get-FileSha $cfg | Should -Be $before
    }

    It 'goes on with the next name after a missing one' {
        Remove-KratosIdp nope, google -ConfigPath $cfg -ErrorVariable errs -ErrorAction SilentlyContinue
        Get-ErrorId $errs[0] | Should -Be 'KratosIdpNotFound'
        @(Get-KratosIdp -ConfigPath $cfg).Name | Should -Be @('github')
    }
}

Describe 'Pipeline chains' {
    BeforeEach {
        $cfg = New-KratosConfig
        $null = Add-KratosIdp google -ConfigPath $cfg -Provider google -ClientId c -ClientSecret $Secret
    }

    It 'Get-KratosIdp | Remove-KratosIdp removes everything without a second -ConfigPath' {
        Get-KratosIdp -ConfigPath $cfg | Remove-KratosIdp
        @(Get-KratosIdp -ConfigPath $cfg) | Should -HaveCount 0
        (Get-Content -Raw $cfg) | Should -Match 'providers: \[\]'
    }

    It 'Get-KratosIdp | Get-KratosRedirectUri gives each callback URI' {
        $uris = @(Get-KratosIdp -ConfigPath $cfg | Get-KratosRedirectUri)
        $uris | Should -HaveCount 2
        $uris[0] | Should -BeOfType ([ExternalIdp.KratosRedirectUri])
        $uris.RedirectUri | Should -Be @(
            'https://auth.example.com/self-service/methods/oidc/callback/github'
            'https://auth.example.com/self-service/methods/oidc/callback/google')
        $uris.Source | Should -Be @('Computed', 'Computed')
        $uris.Name | Should -Be @('github', 'google')
        $uris[0].ConfigPath | Should -Be $cfg
    }

    It 'Get-KratosIdp | Set-KratosIdpProvider -Label X relabels every IdP' {
        Get-KratosIdp -ConfigPath $cfg | Set-KratosIdpProvider -Label 'Sign in'
        (Get-KratosIdp -ConfigPath $cfg).Label | Should -Be @('Sign in', 'Sign in')
    }

    It 'Get-KratosIdp | Set-KratosIdpProvider -PassThru writes each changed IdP' {
        $out = @(Get-KratosIdp -ConfigPath $cfg -Name google | Set-KratosIdpProvider -Label G -PassThru)
        $out | Should -HaveCount 1
        $out[0].Label | Should -Be 'G'
    }

    It 'piped objects from two files each go to their own file' {
        $other = New-KratosConfig
        @(Get-KratosIdp -ConfigPath $cfg -Name google) + @(Get-KratosIdp -ConfigPath $other) | Remove-KratosIdp
        @(Get-KratosIdp -ConfigPath $cfg).Name | Should -Be @('github')
        @(Get-KratosIdp -ConfigPath $other) | Should -HaveCount 0
    }

    It 'Get-KratosIdp | Remove-KratosIdp -WhatIf changes nothing' {
        $before = Get-FileSha $cfg
        Get-KratosIdp -ConfigPath $cfg | Remove-KratosIdp -WhatIf
        Get-FileSha $cfg | Should -Be $before
    }
}

Describe 'Get-KratosRedirectUri and Get-KratosPublicUrl on a config file' {
    BeforeAll {
        $cfg = New-KratosConfig
    }

    It 'computes the redirect URI from serve.public.base_url' {
        $r = Get-KratosRedirectUri github -ConfigPath $cfg
        $r.RedirectUri | Should -Be 'https://auth.example.com/self-service/methods/oidc/callback/github'
        $r.ProviderId | Should -Be 'github'
        $r.Source | Should -Be 'Computed'
        $r.TargetType | Should -Be 'ConfigFile'
        "$r" | Should -Be $r.RedirectUri
    }

    It 'uses -PublicUrl, keeping its path prefix' {
        (Get-KratosRedirectUri github -ConfigPath $cfg -PublicUrl 'https://login.example.org/id/').RedirectUri |
            Should -Be 'https://login.example.org/id/self-service/methods/oidc/callback/github'
    }

    It 'prefers base_redirect_uri when the file sets it' {
        $path = New-KratosConfig -Content ($BaseConfig -replace '(?m)^      config:$', "      config:`n        base_redirect_uri: https://cb.example.net/k")
        (Get-KratosRedirectUri github -ConfigPath $path).RedirectUri | Should -Be 'https://cb.example.net/k/self-service/methods/oidc/callback/github'
    }

    It 'gives the public URL of the file' {
        $u = Get-KratosPublicUrl -ConfigPath $cfg
        $u | Should -BeOfType ([ExternalIdp.KratosPublicUrl])
        $u.PublicUrl.TrimEnd('/') | Should -Be 'https://auth.example.com'
        $u.Source | Should -Be 'serve.public.base_url'
        $u.ConfigPath | Should -Be $cfg
    }

    It 'reports -PublicUrl when given (Source parameter), even when the file has no public URL' {
        $path = New-KratosConfig -Content ($BaseConfig -replace '(?m)^    base_url: https://auth\.example\.com/\r?\n', '')
        foreach ($file in $cfg, $path) {
            $u = Get-KratosPublicUrl -ConfigPath $file -PublicUrl 'https://login.example.org/id/'
            $u.PublicUrl | Should -Be 'https://login.example.org/id'
            $u.Source | Should -Be 'parameter'
            $u.ConfigPath | Should -Be $file
        }
    }

    It 'refuses a -PublicUrl that is not an absolute http(s) URL (Get-KratosPublicUrl and Get-KratosRedirectUri)' {
        foreach ($bad in 'auth.example.com', '/kratos', 'ftp://auth.example.com', 'https://auth.example.com/?x=1') {
            $e = Get-CmdletError { Get-KratosPublicUrl -ConfigPath $cfg -PublicUrl $bad }
            Get-ErrorId $e | Should -Be 'KratosIdpInvalidConfiguration'
            $e.Exception.Message | Should -Match ([regex]::Escape("-PublicUrl '$bad'"))
            $e = Get-CmdletError { Get-KratosRedirectUri github -ConfigPath $cfg -PublicUrl $bad }
            Get-ErrorId $e | Should -Be 'KratosIdpInvalidConfiguration'
            $e.Exception.Message | Should -Match ([regex]::Escape("-PublicUrl '$bad'"))
        }
    }

    It 'reports KratosPublicUrlNotFound when the file has no public URL' {
        $path = New-KratosConfig -Content ($BaseConfig -replace '(?m)^    base_url: https://auth\.example\.com/\r?\n', '')
        $e = Get-CmdletError { Get-KratosPublicUrl -ConfigPath $path }
        Get-ErrorId $e | Should -Be 'KratosPublicUrlNotFound'
        $e = Get-CmdletError { Get-KratosRedirectUri github -ConfigPath $path }
        Get-ErrorId $e | Should -Be 'KratosRedirectUriUnavailable'
        $e.Exception.Message | Should -Match 'PublicUrl'
    }
}

Describe 'Get-KratosPublicUrl -PublicUrl on Juju' {
    It 'reports -PublicUrl without asking juju, and checks it the same way' -Skip:(-not (Test-Path (Join-Path $PSScriptRoot '../fakes/FakeJuju.psm1'))) {
        Import-Module (Join-Path $PSScriptRoot '../fakes/FakeJuju.psm1') -Force
        $fake = New-FakeJujuModel
        try {
            # Without traefik the model has no public URL of its own: only -PublicUrl can answer.
            $null = Invoke-FakeJuju $fake remove-relation kratos traefik-public
            Get-ErrorId (Get-CmdletError { Get-KratosPublicUrl }) | Should -Be 'KratosPublicUrlNotFound'
            Clear-FakeJujuLog $fake
            $u = Get-KratosPublicUrl -PublicUrl 'https://iam.example.net/'
            $u.PublicUrl | Should -Be 'https://iam.example.net'
            $u.Source | Should -Be 'parameter'
            $u.TargetType | Should -Be 'Juju'
            Get-FakeJujuCall $fake | Should -HaveCount 0
            Get-ErrorId (Get-CmdletError { Get-KratosPublicUrl -PublicUrl 'iam.example.net' }) | Should -Be 'KratosIdpInvalidConfiguration'
        }
        finally { Remove-FakeJujuModel $fake }
    }
}

Describe 'Enable-KratosIdp and Disable-KratosIdp on a config file' {
    It 'refuse with KratosIdpParameterNotSupported and leave the file alone: Kratos has no per-provider switch' {
        $cfg = New-KratosConfig
        $before = Get-FileSha $cfg
        foreach ($cmd in 'Enable-KratosIdp', 'Disable-KratosIdp') {
            $e = Get-CmdletError { & $cmd github -ConfigPath $cfg }
            Get-ErrorId $e | Should -Be 'KratosIdpParameterNotSupported'
            $e = Get-CmdletError { Get-KratosIdp -ConfigPath $cfg | & $cmd -PassThru }
            Get-ErrorId $e | Should -Be 'KratosIdpParameterNotSupported'
        }
        Get-FileSha $cfg | Should -Be $before
    }
}

Describe 'Juju-only parameters on a config file' {
    It 'are refused with KratosIdpParameterNotSupported before anything changes' -ForEach @(
        @{ Script = { param($c) Add-KratosIdp -ConfigPath $c -Provider google -ProviderId x -ClientId c -ClientSecret $Secret -Channel latest/edge } }
        @{ Script = { param($c) Add-KratosIdp -ConfigPath $c -Provider google -ProviderId x -ClientId c -ClientSecret $Secret -Wait } }
        @{ Script = { param($c) Set-KratosIdpProvider github -ConfigPath $c -Label x -TimeoutSec 10 } }
        @{ Script = { param($c) Remove-KratosIdp github -ConfigPath $c -RemoveApplication } }
        @{ Script = { param($c) Get-KratosRedirectUri github -ConfigPath $c -ActionOnly } }
    ) {
        $cfg = New-KratosConfig
        $before = Get-FileSha $cfg
        $e = Get-CmdletError { & $Script $cfg }
        Get-ErrorId $e | Should -Be 'KratosIdpParameterNotSupported'
        $e.Exception.Message | Should -Match 'Juju'
        Get-FileSha $cfg | Should -Be $before
    }
}

Describe 'Keys for enterprise IdPs and Kratos releases, on a config file' {
    BeforeEach {
        $cfg = New-KratosConfig   # version: v1.3.0
    }

    It 'writes -RequestedClaims from a hashtable, -OrganizationId, -AdditionalIdTokenAudiences, -AuthUrl and -TokenUrl, and shows them' {
        $claims = @{ id_token = [ordered]@{ email = $null; email_verified = @{ essential = $true } } }
        $idp = Add-KratosIdp corp -ConfigPath $cfg -Provider generic -IssuerUrl https://sso.example.com -ClientId kratos -ClientSecret $Secret `
            -RequestedClaims $claims -OrganizationId 0b8f3a52-7c1e-4d2a-9a55-3f0f8e2d4c11 -AdditionalIdTokenAudiences ios, android `
            -AuthUrl https://sso.example.com/authorize -TokenUrl https://sso.example.com/token
        $idp.RequestedClaims | Should -Be '{"id_token": {"email": null, "email_verified": {"essential": true}}}'
        $idp.AdditionalIdTokenAudiences | Should -Be @('ios', 'android')
        $idp.AuthUrl | Should -Be 'https://sso.example.com/authorize'
        $idp.TokenUrl | Should -Be 'https://sso.example.com/token'
        $idp.RedirectUri | Should -Be 'https://auth.example.com/self-service/methods/oidc/organization/0b8f3a52-7c1e-4d2a-9a55-3f0f8e2d4c11/callback/corp'
        (Get-KratosRedirectUri corp -ConfigPath $cfg).RedirectUri | Should -Be $idp.RedirectUri
        $idp.KratosVersion | Should -Be 'v1.3.0'
        $idp.KratosVersionSource | Should -Be "the config file's version: key"
        (Get-Content -Raw $cfg) | Should -Match ([regex]::Escape('requested_claims: {"id_token": {"email": null, "email_verified": {"essential": true}}}'))
        # JSON text and a [pscustomobject] are taken too; '' removes it.
        (Set-KratosIdpProvider corp -ConfigPath $cfg -RequestedClaims '{"userinfo": {"groups": null}}' -PassThru).RequestedClaims | Should -Be '{"userinfo": {"groups": null}}'
        (Set-KratosIdpProvider corp -ConfigPath $cfg -RequestedClaims ([pscustomobject]@{ id_token = [pscustomobject]@{ acr = @{ values = @('urn:a') } } }) -PassThru).RequestedClaims |
            Should -Be '{"id_token": {"acr": {"values": ["urn:a"]}}}'
        (Set-KratosIdpProvider corp -ConfigPath $cfg -RequestedClaims '' -PassThru).RequestedClaims | Should -BeNullOrEmpty
    }

    It 'refuses a key the file''s Kratos release does not know, says how to give a newer one, and changes nothing' {
        $before = Get-FileSha $cfg
        $e = Get-CmdletError { Add-KratosIdp entra -ConfigPath $cfg -Provider microsoft -TenantId common -ClientId c -ClientSecret $Secret -SubjectSource oid }
        Get-ErrorId $e | Should -Be 'KratosIdpNotSupportedByVersion'
        $e.Exception.Message | Should -Match "runs Kratos v1.3.0 \(the config file's version: key\), which does not accept subject_source 'oid' \(from v25.4.0\)"
        $e.Exception.Message | Should -Match 'Leave out -SubjectSource oid, or upgrade Kratos to v25.4.0 or later'
        $e.Exception.Message | Should -Match "-KratosVersion \(or the config file's top-level version: key\)"
        $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $e = Get-CmdletError { Set-KratosIdpProvider github -ConfigPath $cfg -AccountLinkingMode automatic }
        Get-ErrorId $e | Should -Be 'KratosIdpNotSupportedByVersion'
        $e.Exception.Message | Should -Match "key 'account_linking_mode' \(from v26.2.0\)"
        Get-FileSha $cfg | Should -Be $before
        # Told that Kratos is newer, it writes them; Get by the file's word reports the entry, naming the key and the release.
        $idp = Set-KratosIdpProvider github -ConfigPath $cfg -AccountLinkingMode automatic -KratosVersion 26.2 -PassThru
        $idp.AccountLinkingMode | Should -Be 'automatic'
        $idp.KratosVersion | Should -Be 'v26.2.0'
        $got = Get-KratosIdp github -ConfigPath $cfg
        $got.Status | Should -Be 'Invalid'
        $got.Problems | Should -Be @("Kratos v1.3.0 (the config file's version: key) does not accept key 'account_linking_mode' (from v26.2.0)")
        (Get-KratosIdp github -ConfigPath $cfg -KratosVersion v26.2.0).Status | Should -Be 'Valid'
    }

    It 'refuses a -KratosVersion that is no release number, on every cmdlet' -ForEach @(
        @{ Case = 'Get-KratosIdp'; Script = { param($c) Get-KratosIdp -ConfigPath $c -KratosVersion latest } }
        @{ Case = 'Add-KratosIdp'; Script = { param($c) Add-KratosIdp g -ConfigPath $c -Provider google -ClientId x -ClientSecret $Secret -KratosVersion latest } }
        @{ Case = 'Remove-KratosIdp'; Script = { param($c) Remove-KratosIdp github -ConfigPath $c -KratosVersion 'v1.x' } }
        @{ Case = 'Get-KratosRedirectUri'; Script = { param($c) Get-KratosRedirectUri github -ConfigPath $c -KratosVersion latest } }
    ) {
        $before = Get-FileSha $cfg
        $e = Get-CmdletError { & $Script $cfg }
        Get-ErrorId $e | Should -Be 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match 'is not a Kratos release number'
        Get-FileSha $cfg | Should -Be $before
    }

    It 'assumes the newest release for a file without version:, and says so' {
        $path = New-KratosConfig -Content ($script:BaseConfig -replace '(?m)^version: .*\n', '')
        $idp = Get-KratosIdp github -ConfigPath $path
        $idp.KratosVersion | Should -Be 'v26.2.0'
        $idp.KratosVersionSource | Should -Match 'assumed, the newest release ExternalIdp knows: the config file has no version: key'
        (Set-KratosIdpProvider github -ConfigPath $path -AccountLinkingMode automatic -PassThru).AccountLinkingMode | Should -Be 'automatic'
    }
}
