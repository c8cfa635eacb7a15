# Secret hygiene: no stream, error, confirmation text or output property ever holds a secret.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1

    $script:PemBody = 'MIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQgUNIQUEpemLINE'
    $script:Pem = "-----BEGIN PRIVATE KEY-----`n$PemBody`n-----END PRIVATE KEY-----"
    $script:AppleKey = ConvertTo-SecureString -String $Pem -AsPlainText -Force
    $script:BadSecretText = ' padded-SECRET-value-77 '
    $script:BadSecret = ConvertTo-SecureString -String $BadSecretText -AsPlainText -Force

    function ConvertTo-Text {
        <# Everything a user could see of a captured stream record, as text. #>
        param($Record)
        $parts = [System.Collections.Generic.List[string]]::new()
        if ($Record -is [System.Management.Automation.ErrorRecord]) {
            $parts.Add(($Record | Out-String -Width 4096))
            $parts.Add($Record.Exception.ToString())
            $parts.Add([string] $Record.TargetObject)
            $parts.Add([string] $Record.ErrorDetails)
            $parts.Add([string] $Record.ErrorDetails.RecommendedAction)
            $parts.Add([string] $Record.CategoryInfo)
            $parts.Add(($Record.Exception | Format-List * -Force | Out-String -Width 4096))
        }
        elseif ($Record -is [System.Management.Automation.InformationalRecord]) {
            $parts.Add($Record.Message)
        }
        elseif ($null -ne $Record) {
            $parts.Add(($Record | Out-String -Width 4096))
            $parts.Add(($Record | Format-List * -Force | Out-String -Width 4096))
            $parts.Add(($Record | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue))
            foreach ($p in $Record.PSObject.Properties) { $parts.Add(($p.Value | Out-String)) }
        }
        $parts -join "`n"
    }

    function Assert-NoSecret {
        param([object[]] $Captured, [string] $What)
        $text = ($Captured | ForEach-Object { ConvertTo-Text $_ }) -join "`n"
        foreach ($s in $SecretText, $PemBody, $BadSecretText.Trim()) {
            $text | Should -Not -Match ([regex]::Escape($s)) -Because "$What must not show a secret"
        }
    }

    function Invoke-Captured {
        <# Runs the script with -Verbose/-Debug preferences on and returns every record of every stream. #>
        param([scriptblock] $Script)
        $VerbosePreference = 'Continue'
        $DebugPreference = 'Continue'
        $InformationPreference = 'Continue'
        $WarningPreference = 'Continue'
        & { & $Script 2>&1 } *>&1
    }
}

Describe 'Secret hygiene of the cmdlets' {
    BeforeEach {
        $cfg = New-KratosConfig
    }

    It 'Add-KratosIdp (success) with -Verbose -Debug' {
        $out = Invoke-Captured { Add-KratosIdp google -ConfigPath $cfg -Provider google -ClientId c -ClientSecret $Secret -Verbose -Debug -ErrorAction Continue }
        @($out | Where-Object { $_ -is [ExternalIdp.KratosIdp] }) | Should -HaveCount 1
        Assert-NoSecret $out 'Add-KratosIdp'
    }

    It 'Add-KratosIdp of apple with a PEM key' {
        $out = Invoke-Captured { Add-KratosIdp apple -ConfigPath $cfg -Provider apple -ClientId com.example -AppleTeamId ABCDE12345 -ApplePrivateKeyId KEY1234567 -ApplePrivateKey $AppleKey -Verbose -Debug -ErrorAction Continue }
        @($out | Where-Object { $_ -is [ExternalIdp.KratosIdp] }) | Should -HaveCount 1
        Assert-NoSecret $out 'Add-KratosIdp apple'
    }

    It 'Add-KratosIdp failures: duplicate id, secret with white space, apple with a client secret' {
        $out = @()
        $out += Invoke-Captured { Add-KratosIdp github -ConfigPath $cfg -Provider github -ClientId c -ClientSecret $Secret -Verbose -Debug -ErrorAction Continue }
        $out += Invoke-Captured { Add-KratosIdp g3 -ConfigPath $cfg -Provider google -ClientId c -ClientSecret $BadSecret -Verbose -Debug -ErrorAction Continue }
        $out += Invoke-Captured { Add-KratosIdp a2 -ConfigPath $cfg -Provider apple -ClientId c -ClientSecret $Secret -AppleTeamId ABCDE12345 -ApplePrivateKeyId KEY1234567 -ApplePrivateKey $AppleKey -Verbose -Debug -ErrorAction Continue }
        @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -HaveCount 3
        Assert-NoSecret $out 'a failed Add-KratosIdp'
    }

    It 'Set-KratosIdpProvider (rotation and failure)' {
        $out = @()
        $out += Invoke-Captured { Set-KratosIdpProvider github -ConfigPath $cfg -ClientSecret $Secret -PassThru -Verbose -Debug -ErrorAction Continue }
        $out += Invoke-Captured { Set-KratosIdpProvider github -ConfigPath $cfg -ClientSecret $BadSecret -Verbose -Debug -ErrorAction Continue }
        $out += Invoke-Captured { Set-KratosIdpProvider nope -ConfigPath $cfg -ClientSecret $Secret -Verbose -Debug -ErrorAction Continue }
        @($out | Where-Object { $_ -is [ExternalIdp.KratosIdp] }) | Should -HaveCount 1
        @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -HaveCount 2
        Assert-NoSecret $out 'Set-KratosIdpProvider'
    }

    It 'Get-KratosIdp, Get-KratosRedirectUri, Get-KratosPublicUrl, Remove-KratosIdp -PassThru after a secret was written' {
        $null = Add-KratosIdp google -ConfigPath $cfg -Provider google -ClientId c -ClientSecret $Secret
        $null = Add-KratosIdp apple -ConfigPath $cfg -Provider apple -ClientId com.example -AppleTeamId ABCDE12345 -ApplePrivateKeyId KEY1234567 -ApplePrivateKey $AppleKey
        $out = @()
        $out += Invoke-Captured { Get-KratosIdp -ConfigPath $cfg -Verbose -Debug }
        $out += Invoke-Captured { Get-KratosIdp -ConfigPath $cfg | Format-List * | Out-String -Width 4096 }
        $out += Invoke-Captured { Get-KratosIdp -ConfigPath $cfg | Format-Table | Out-String -Width 4096 }
        $out += Invoke-Captured { Get-KratosIdp -ConfigPath $cfg | Get-KratosRedirectUri -Verbose -Debug }
        $out += Invoke-Captured { Get-KratosPublicUrl -ConfigPath $cfg -Verbose -Debug }
        $out += Invoke-Captured { Get-KratosIdp -ConfigPath $cfg -Name google, apple | Remove-KratosIdp -PassThru -Verbose -Debug }
        @($out | Where-Object { $_ -is [ExternalIdp.KratosIdp] }).Count | Should -BeGreaterOrEqual 4
        Assert-NoSecret $out 'reading cmdlets'
        # HasClientSecret/HasApplePrivateKey are the only trace of a secret on an object.
        $props = [ExternalIdp.KratosIdp].GetProperties().Name
        $props | Should -Not -Contain 'ClientSecret'
        $props | Should -Not -Contain 'ApplePrivateKey'
    }

    It 'the -WhatIf and -Confirm text (host output, caught by a transcript)' {
        $log = Join-Path $TestDrive "transcript-$([guid]::NewGuid().ToString('n')).txt"
        Start-Transcript -Path $log -UseMinimalHeader | Out-Null
        try {
            Add-KratosIdp google -ConfigPath $cfg -Provider google -ClientId c -ClientSecret $Secret -WhatIf
            Add-KratosIdp apple -ConfigPath $cfg -Provider apple -ClientId com.example -AppleTeamId ABCDE12345 -ApplePrivateKeyId KEY1234567 -ApplePrivateKey $AppleKey -WhatIf
            Set-KratosIdpProvider github -ConfigPath $cfg -ClientSecret $Secret -WhatIf
            Remove-KratosIdp github -ConfigPath $cfg -WhatIf
        }
        finally { Stop-Transcript | Out-Null }
        $text = Get-Content -Raw $log
        $text | Should -Match 'What if' -Because 'the transcript caught the ShouldProcess text'
        $text | Should -Match 'google'
        $text | Should -Not -Match ([regex]::Escape($SecretText))
        $text | Should -Not -Match ([regex]::Escape($PemBody))
    }

    It 'leaves no file with a secret behind besides the config file itself' {
        $null = Add-KratosIdp google -ConfigPath $cfg -Provider google -ClientId c -ClientSecret $Secret
        Set-KratosIdpProvider google -ConfigPath $cfg -Label x
        Remove-KratosIdp google -ConfigPath $cfg
        $others = @(Get-ChildItem -Force -Recurse -File (Split-Path $cfg) | Where-Object Name -ne 'kratos.yml')
        foreach ($f in $others) {
            $f.Name | Should -Not -BeLike '*.tmp'
            [IO.File]::ReadAllText($f.FullName) | Should -Not -Match ([regex]::Escape($SecretText))
        }
    }
}
