# Bad input: every documented error id, a message that names the problem and the fix, and the file byte-identical.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1

    function Assert-Refused {
        <# Runs $Script against a fresh copy of the base config; asserts the error id and that the file did not change. Returns the error. #>
        param([scriptblock] $__RefusedBlock, [string] $ErrorId, [string] $Content = $BaseConfig)
        $cfg = New-KratosConfig -Content $Content
        $before = Get-FileSha $cfg
        $e = Get-CmdletError { & $__RefusedBlock $cfg }
        $e | Should -Not -BeNullOrEmpty -Because "$ErrorId was expected"
        Get-ErrorId $e | Should -Be $ErrorId
        $e.Exception.Message | Should -Not -BeNullOrEmpty
        if ($ErrorId -like 'Kratos*') {
            $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty -Because 'every ExternalIdp error says what to do'
        }
        Get-FileSha $cfg | Should -Be $before -Because 'a refused change leaves the file byte-identical'
        $e
    }
}

Describe 'Provider kind errors' {
    It 'names microsoft for <Kind>' -ForEach @(
        @{ Kind = 'azure' }, @{ Kind = 'entra' }, @{ Kind = 'AzureAD' }
    ) {
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider $Kind -ClientId x -ClientSecret $Secret -TenantId common } 'KratosIdpUnknownProvider'
        $e.Exception.Message | Should -Match "'microsoft'"
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'lists the valid kinds for a kind it has no suggestion for' {
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider 'myspace' -ClientId x -ClientSecret $Secret } 'KratosIdpUnknownProvider'
        $e.Exception.Message | Should -Match 'google'
        $e.Exception.Message | Should -Match 'generic'
    }

    It 'refuses an unknown kind on Set too' {
        $null = Assert-Refused { param($c) Set-KratosIdpProvider github -ConfigPath $c -Provider 'azure' } 'KratosIdpUnknownProvider'
    }
}

Describe 'Kind-specific settings' {
    It 'microsoft without a tenant' {
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider microsoft -ClientId x -ClientSecret $Secret } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match '-TenantId'
    }

    It 'a tenant on google' {
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider google -ClientId x -ClientSecret $Secret -TenantId common } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match '-TenantId'
        $e.Exception.Message | Should -Match 'microsoft'
    }

    It 'a malformed tenant' {
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider microsoft -ClientId x -ClientSecret $Secret -TenantId 'not a tenant' } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match 'GUID'
    }

    It 'apple without its team id, key id and key' {
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider apple -ClientId com.example.web } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match '-AppleTeamId'
        $e.Exception.Message | Should -Match '-ApplePrivateKeyId'
        $e.Exception.Message | Should -Match '-ApplePrivateKey\b'
    }

    It 'apple with a client secret' {
        $key = ConvertTo-SecureString "-----BEGIN PRIVATE KEY-----`nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49`n-----END PRIVATE KEY-----" -AsPlainText -Force
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider apple -ClientId com.example.web -ClientSecret $Secret -AppleTeamId ABCDE12345 -ApplePrivateKeyId KEY1234567 -ApplePrivateKey $key } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match '-ClientSecret'
    }

    It 'apple fields on google' {
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider google -ClientId x -ClientSecret $Secret -AppleTeamId ABCDE12345 } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match '-AppleTeamId'
    }

    It 'an apple private key that is not PEM' {
        $key = ConvertTo-SecureString 'not-a-pem-key-at-all' -AsPlainText -Force
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider apple -ClientId w -AppleTeamId ABCDE12345 -ApplePrivateKeyId KEY1234567 -ApplePrivateKey $key } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match 'PEM'
        $e.Exception.Message | Should -Not -Match 'not-a-pem-key-at-all'
    }

    It '<Kind> without an issuer URL' -ForEach @(@{ Kind = 'generic' }, @{ Kind = 'auth0' }) {
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider $Kind -ClientId x -ClientSecret $Secret } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match '-IssuerUrl'
    }

    It 'a relative issuer URL' {
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider generic -ClientId x -ClientSecret $Secret -IssuerUrl '/realms/main' } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match 'absolute'
    }

    It 'a missing client secret' {
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider google -ClientId x } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match '-ClientSecret'
    }

    It 'a missing client id' {
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider google -ClientSecret $Secret } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match '-ClientId'
        $e.Exception.Message | Should -Match '-Credential'
    }

    It 'a bad enum value' {
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider google -ClientId x -ClientSecret $Secret -Pkce sometimes } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match 'auto, never, force'
    }

    It 'a scope item with white space' {
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider google -ClientId x -ClientSecret $Secret -Scope 'openid email' } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match 'own item'
    }

    It 'a jsonnet file that does not exist' {
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider google -ClientId x -ClientSecret $Secret -JsonnetMapper ./missing.jsonnet } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match 'missing\.jsonnet'
    }

    It 'Set with nothing to change' {
        $null = Assert-Refused { param($c) Set-KratosIdpProvider github -ConfigPath $c } 'KratosIdpInvalidConfiguration'
    }

    It 'Set of a kind that then lacks a required setting' {
        $e = Assert-Refused { param($c) Set-KratosIdpProvider github -ConfigPath $c -Provider microsoft } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match '-TenantId'
    }
}

Describe 'Existence errors' {
    It 'a duplicate provider id' {
        $e = Assert-Refused { param($c) Add-KratosIdp github -ConfigPath $c -Provider github -ClientId x -ClientSecret $Secret } 'KratosIdpAlreadyExists'
        $e.CategoryInfo.Category | Should -Be 'ResourceExists'
    }

    It 'a missing IdP for <Command>' -ForEach @(
        @{ Command = 'Set-KratosIdpProvider'; Script = { param($c) Set-KratosIdpProvider nope -ConfigPath $c -Label x } }
        @{ Command = 'Remove-KratosIdp'; Script = { param($c) Remove-KratosIdp nope -ConfigPath $c } }
        @{ Command = 'Get-KratosRedirectUri'; Script = { param($c) Get-KratosRedirectUri nope -ConfigPath $c } }
        @{ Command = 'Get-KratosIdp'; Script = { param($c) Get-KratosIdp nope -ConfigPath $c } }
    ) {
        $e = Assert-Refused $Script 'KratosIdpNotFound'
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e.TargetObject | Should -Be 'nope'
    }
}

Describe 'Name errors' {
    It 'a -Name that is not a valid wildcard pattern' {
        $e = Assert-Refused { param($c) Get-KratosIdp -ConfigPath $c -Name 'git[hub' } 'KratosIdpInvalidConfiguration'
        $e.Exception.Message | Should -Match 'wildcard'
    }
}

Describe 'File errors' {
    It 'a missing file is a terminating KratosConfigFileNotFound for <Command>' -ForEach @(
        @{ Command = 'Get-KratosIdp'; Script = { param($p) Get-KratosIdp -ConfigPath $p } }
        @{ Command = 'Add-KratosIdp'; Script = { param($p) Add-KratosIdp -ConfigPath $p -Provider google -ClientId x -ClientSecret $Secret } }
        @{ Command = 'Remove-KratosIdp'; Script = { param($p) Remove-KratosIdp x -ConfigPath $p } }
    ) {
        $missing = Join-Path $TestDrive 'no-such-dir/kratos.yml'
        $caught = $null
        try { $ErrorActionPreference = 'SilentlyContinue'; & $Script $missing } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty -Because 'nothing can be done without the file, even with -ErrorAction SilentlyContinue'
        Get-ErrorId $caught | Should -Be 'KratosConfigFileNotFound'
        $caught.Exception.Message | Should -Match 'kratos\.yml'
        Test-Path $missing | Should -BeFalse -Because 'no file is created'
    }

    It 'a file that is not YAML' {
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider google -ClientId x -ClientSecret $Secret } 'KratosConfigFileInvalid' -Content "selfservice: {methods: [unclosed`n  oidc: : :`n"
        $e.Exception.Message | Should -Match 'line'
        $null = Assert-Refused { param($c) Get-KratosIdp -ConfigPath $c } 'KratosConfigFileInvalid' -Content "selfservice: {methods: [unclosed`n"
    }

    It 'providers that is not a list' {
        $bad = @'
selfservice:
  methods:
    oidc:
      enabled: true
      config:
        providers:
          id: github
          provider: github
'@
        $e = Assert-Refused { param($c) Add-KratosIdp -ConfigPath $c -Provider google -ClientId x -ClientSecret $Secret } 'KratosConfigFileInvalid' -Content $bad
        $e.Exception.Message | Should -Match 'providers'
    }
}

Describe 'Target parameter errors' {
    It '-ConfigPath together with -Model' {
        $null = Assert-Refused { param($c) Get-KratosIdp -ConfigPath $c -Model iam } 'KratosIdpParameterNotSupported'
    }

    It '-ConfigRoot without -ConfigPath' {
        $e = Get-CmdletError { Get-KratosIdp -ConfigRoot kratos.config }
        Get-ErrorId $e | Should -Be 'KratosIdpParameterNotSupported'
        $e.Exception.Message | Should -Match '-ConfigPath'
    }

    It 'a -ConfigRoot that is not in the file' {
        $null = Assert-Refused { param($c) Get-KratosIdp -ConfigPath $c -ConfigRoot kratos.config } 'KratosConfigFileInvalid'
    }
}

Describe 'Secret parameters refuse plain strings' {
    It '<Parameter> refuses a plain string with a message that says how to make a SecureString' -ForEach @(
        @{ Parameter = 'ClientSecret' }, @{ Parameter = 'ApplePrivateKey' }
    ) {
        $plain = $SecretText
        $params = @{ ConfigPath = 'unused.yml'; Provider = 'google'; ClientId = 'x'; $Parameter = $plain }
        $e = Get-CmdletError { Add-KratosIdp @params }
        Get-ErrorId $e | Should -Be 'ParameterArgumentTransformationError'
        $e.Exception.Message | Should -Match 'SecureString'
        $e.Exception.Message | Should -Match 'ConvertTo-SecureString'
        ($e | Out-String) | Should -Not -Match ([regex]::Escape($SecretText))
    }
}
