# The module as shipped: manifest, cmdlet metadata, help, format views, tab completion.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $script:Cmdlets = @('Add-KratosIdp', 'Get-KratosIdp', 'Set-KratosIdpProvider', 'Remove-KratosIdp',
        'Enable-KratosIdp', 'Disable-KratosIdp', 'Get-KratosRedirectUri', 'Get-KratosPublicUrl', 'Test-KratosIdp',
        'Export-KratosIdp', 'Compare-KratosIdp', 'Sync-KratosIdp')
    # Their target comes from their own parameters only, and -Path is the desired-state file.
    $script:DesiredState = @('Export-KratosIdp', 'Compare-KratosIdp', 'Sync-KratosIdp')
    $script:Changing = @('Add-KratosIdp', 'Set-KratosIdpProvider', 'Remove-KratosIdp', 'Enable-KratosIdp', 'Disable-KratosIdp')

    function Get-Completions([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }
}

Describe 'Manifest and layout' {
    It 'is a valid manifest exporting exactly its twelve cmdlets' {
        $m = Test-ModuleManifest (Join-Path $ModulePath 'ExternalIdp.psd1') -ErrorAction Stop
        $m.RootModule | Should -Be 'ExternalIdp.dll'
        @($m.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($Cmdlets | Sort-Object)
        $m.ExportedFunctions.Count | Should -Be 0
        $m.ExportedAliases.Count | Should -Be 0
        $m.ExportedVariables.Count | Should -Be 0
        $m.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $m.PowerShellVersion | Should -Be ([version] '5.1')
        $m.ExportedFormatFiles | Should -HaveCount 1
        (Get-Module ExternalIdp).ExportedCommands.Keys | Sort-Object | Should -Be @($Cmdlets | Sort-Object)
    }

    It 'ships the cmdlet assembly at the top and its dependencies in dependencies/, not System.Management.Automation' {
        $top = (Get-ChildItem $ModulePath -File).Name
        foreach ($f in 'ExternalIdp.dll', 'ExternalIdp.format.ps1xml', 'ExternalIdp.psd1', 'LICENSE') {
            $top | Should -Contain $f
        }
        # PowerShell's own resolution must not find these: the module initializer loads them (isolated on PowerShell 7).
        foreach ($f in 'ExternalIdp.Core.dll', 'YamlDotNet.dll', 'Newtonsoft.Json.dll') {
            $top | Should -Not -Contain $f
            Test-Path (Join-Path $ModulePath "dependencies/$f") | Should -BeTrue -Because "$f is in dependencies/"
        }
        @(Get-ChildItem $ModulePath -Recurse -File -Filter 'System.Management.Automation*') | Should -HaveCount 0
        Test-Path (Join-Path $ModulePath 'en-US/ExternalIdp.dll-Help.xml') | Should -BeTrue
        Test-Path (Join-Path $ModulePath 'en-US/about_ExternalIdp.help.txt') | Should -BeTrue
    }

    It 'does not name the isolated assemblies in the manifest (that would load them into the default context)' {
        $data = Import-PowerShellDataFile (Join-Path $ModulePath 'ExternalIdp.psd1')
        foreach ($key in 'NestedModules', 'RequiredAssemblies', 'ScriptsToProcess', 'TypesToProcess') {
            $data.ContainsKey($key) | Should -BeFalse -Because "the manifest has no $key"
        }
        ($data | ConvertTo-Json -Depth 5) | Should -Not -Match 'YamlDotNet|Newtonsoft|ExternalIdp\.Core|dependencies'
    }

    It 'targets netstandard2.0 so that Windows PowerShell 5.1 can load it' {
        foreach ($dll in 'ExternalIdp.dll', 'dependencies/ExternalIdp.Core.dll') {
            $asm = [Reflection.Assembly]::LoadFile((Join-Path $ModulePath $dll))
            $tfm = $asm.GetCustomAttributes([System.Runtime.Versioning.TargetFrameworkAttribute], $false)[0].FrameworkName
            $tfm | Should -Be '.NETStandard,Version=v2.0'
        }
    }

    It 'references nothing beyond netstandard, PowerShell 5.1''s API and its own dependencies' {
        $refs = { param($p) @([Reflection.Assembly]::LoadFile($p).GetReferencedAssemblies().Name) }
        $cmdletRefs = & $refs (Join-Path $ModulePath 'ExternalIdp.dll')
        # System.Runtime.Loader: compile-time only, used on PowerShell 7 alone (the isolated load context).
        @($cmdletRefs | Sort-Object) | Should -Be @('ExternalIdp.Core', 'netstandard', 'System.Management.Automation', 'System.Runtime.Loader')
        $coreRefs = & $refs (Join-Path $ModulePath 'dependencies/ExternalIdp.Core.dll')
        @($coreRefs | Sort-Object) | Should -Be @('netstandard', 'Newtonsoft.Json', 'YamlDotNet')
        $sma = [Reflection.Assembly]::LoadFile((Join-Path $ModulePath 'ExternalIdp.dll')).GetReferencedAssemblies() | Where-Object Name -eq 'System.Management.Automation'
        $sma.Version.Major | Should -Be 3 -Because 'PowerShellStandard.Library 5.1 references System.Management.Automation 3.0.0.0, which Windows PowerShell 5.1 satisfies'
    }

    It 'loads ExternalIdp.Core from dependencies/ into a load context of its own' {
        $core = (Get-Command Get-KratosIdp).OutputType[0].Type.Assembly
        $core.GetName().Name | Should -Be 'ExternalIdp.Core'
        $core.Location | Should -Be (Join-Path $ModulePath 'dependencies/ExternalIdp.Core.dll')
        $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core)
        $context | Should -Not -Be ([System.Runtime.Loader.AssemblyLoadContext]::Default)
        $context.GetType().FullName | Should -Be 'ExternalIdp.Commands.IsolatedLoadContext'
    }

    It 'no public type of the cmdlet assembly needs ExternalIdp.Core to load (PowerShell loads them before the initializer runs)' {
        $cmdlets = [ExternalIdp.Commands.KratosCmdletBase].Assembly
        foreach ($t in $cmdlets.GetExportedTypes()) {
            $related = @($t.BaseType) + $t.GetInterfaces() | Where-Object { $_ }
            foreach ($r in $related) { $r.Assembly.GetName().Name | Should -Not -Be 'ExternalIdp.Core' -Because "$($t.FullName) derives from or implements $($r.FullName)" }
        }
    }
}

Describe 'README' {
    It 'links the error table, which documents every error id of ErrorIds and of the cmdlet layer' {
        (Get-Content -Raw (Join-Path $RepoRoot 'README.md')) | Should -Match ([regex]::Escape('(docs/errors.md)'))
        $readme = Get-Content -Raw (Join-Path $RepoRoot 'docs/errors.md')
        $ids = [ExternalIdp.Core.ErrorIds].GetFields() | Where-Object IsLiteral | ForEach-Object { $_.GetRawConstantValue() }
        $ids = @($ids) + [ExternalIdp.Commands.KratosCmdletBase]::UnexpectedErrorId + [ExternalIdp.Commands.KratosCmdletBase]::ConfirmationUnavailableErrorId
        $ids.Count | Should -BeGreaterThan 20
        foreach ($id in $ids) { $readme | Should -Match ('\| `' + [regex]::Escape($id) + '` \|') -Because "$id is in the error table" }
    }

    It 'gives the test command that CI runs' {
        $readme = Get-Content -Raw (Join-Path $RepoRoot 'README.md')
        $ci = Get-Content -Raw (Join-Path $RepoRoot '.ci/run')
        $command = 'dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 Test'
        $readme | Should -Match ([regex]::Escape($command))
        $ci | Should -Match ([regex]::Escape($command))
        $readme | Should -Match ([regex]::Escape('dotnet pwsh -NoProfile -File ./examples/demo.ps1'))
    }

    It 'links only docs pages that exist' {
        $readme = Get-Content -Raw (Join-Path $RepoRoot 'README.md')
        $links = [regex]::Matches($readme, '\]\((docs/[^)#]+)') | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique
        @($links).Count | Should -BeGreaterThan 2
        foreach ($l in $links) { Join-Path $RepoRoot $l | Should -Exist }
    }
}

Describe 'Repository' {
    It 'builds and tests from its own files: nothing reads a folder beside the clone' {
        # Users clone the repository alone; fixtures that tests need live in tests/fixtures. The
        # folder name is spelled in two parts so that this file does not match its own scan.
        $beside = 'sha' + 'red'
        $pattern = '\.\.[\\/]{0}|"{0}", "reference"|''{0}''' -f $beside
        $files = git -C $RepoRoot ls-files -- src tests build bench build.ps1 .ci examples ':!tests/fixtures'
        $LASTEXITCODE | Should -Be 0
        $hits = foreach ($f in $files) {
            $path = Join-Path $RepoRoot $f
            if ((Test-Path -LiteralPath $path -PathType Leaf) -and (Select-String -LiteralPath $path -Pattern $pattern -Quiet)) { $f }
        }
        @($hits) | Should -BeNullOrEmpty -Because 'a clone of the repository has no other folder beside it'
    }
}

Describe 'Cmdlet metadata' {
    It '<_> declares an output type' -ForEach @('Add-KratosIdp', 'Get-KratosIdp', 'Set-KratosIdpProvider', 'Remove-KratosIdp',
        'Enable-KratosIdp', 'Disable-KratosIdp', 'Get-KratosRedirectUri', 'Get-KratosPublicUrl', 'Test-KratosIdp',
        'Export-KratosIdp', 'Compare-KratosIdp', 'Sync-KratosIdp') {
        (Get-Command $_).OutputType.Name | Should -Not -BeNullOrEmpty
    }

    It '<_> supports ShouldProcess with ConfirmImpact Medium (never prompts at the default $ConfirmPreference)' -ForEach @(
        'Add-KratosIdp', 'Set-KratosIdpProvider', 'Remove-KratosIdp', 'Enable-KratosIdp', 'Disable-KratosIdp', 'Sync-KratosIdp', 'Export-KratosIdp') {
        $cmd = Get-Command $_
        $attr = $cmd.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0]
        $attr.SupportsShouldProcess | Should -BeTrue
        $attr.ConfirmImpact | Should -Be 'Medium'
        $cmd.Parameters.Keys | Should -Contain 'WhatIf'
    }

    It 'the reading cmdlets do not support ShouldProcess' {
        foreach ($c in 'Get-KratosIdp', 'Get-KratosRedirectUri', 'Get-KratosPublicUrl', 'Test-KratosIdp', 'Compare-KratosIdp') {
            (Get-Command $c).Parameters.Keys | Should -Not -Contain 'WhatIf'
        }
    }

    It 'the target parameters bind by property name on every cmdlet but the desired-state ones' {
        foreach ($c in $Cmdlets | Where-Object { $DesiredState -notcontains $_ }) {
            foreach ($p in 'ConfigPath', 'ConfigRoot', 'Model', 'KratosApplication') {
                $meta = (Get-Command $c).Parameters[$p]
                $meta | Should -Not -BeNullOrEmpty -Because "$c has -$p"
                ($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName |
                    Should -Contain $true -Because "$c -$p binds from a piped KratosIdp"
            }
            (Get-Command $c).Parameters['ConfigPath'].Aliases | Should -Contain 'Path'
        }
    }

    It 'Export, Compare and Sync take their target from their own parameters only, and -Path is the desired-state file' {
        foreach ($c in $DesiredState) {
            foreach ($p in 'ConfigPath', 'ConfigRoot', 'Model', 'KratosApplication') {
                $meta = (Get-Command $c).Parameters[$p]
                $meta | Should -Not -BeNullOrEmpty -Because "$c has -$p"
                ($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName |
                    Should -Not -Contain $true -Because "$c -$p is the destination, never the piped desired state's source"
            }
            (Get-Command $c).Parameters['ConfigPath'].Aliases | Should -Not -Contain 'Path'
            (Get-Command $c).Parameters['Path'].ParameterType | Should -Be ([string])
        }
        foreach ($c in 'Compare-KratosIdp', 'Sync-KratosIdp') {
            $io = (Get-Command $c).Parameters['InputObject'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
            $io.ValueFromPipeline | Should -Contain $true
            (Get-Command $c).Parameters['Secret'].ParameterType | Should -Be ([hashtable])
        }
    }

    It '-Name is mandatory and binds by property name on <_>' -ForEach @('Set-KratosIdpProvider', 'Remove-KratosIdp', 'Enable-KratosIdp', 'Disable-KratosIdp', 'Get-KratosRedirectUri') {
        $attr = (Get-Command $_).Parameters['Name'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
        $attr.Mandatory | Should -Contain $true
        $attr.ValueFromPipelineByPropertyName | Should -Contain $true
    }

    It 'the secret parameters are SecureStrings and Add/Set have the same settings parameters' {
        $settings = 'Provider', 'ClientId', 'ClientSecret', 'Credential', 'TenantId', 'IssuerUrl', 'AppleTeamId', 'ApplePrivateKeyId',
            'ApplePrivateKey', 'ProviderId', 'Label', 'Scope', 'JsonnetMapper', 'MapperUrl', 'SubjectSource', 'ClaimsSource', 'Pkce',
            'AuthUrl', 'TokenUrl', 'RequestedClaims', 'OrganizationId', 'AdditionalIdTokenAudiences', 'AccountLinkingMode', 'Wait', 'TimeoutSec'
        foreach ($c in 'Add-KratosIdp', 'Set-KratosIdpProvider') {
            $params = (Get-Command $c).Parameters
            foreach ($p in $settings) { $params.Keys | Should -Contain $p -Because "$c has -$p" }
            $params['ClientSecret'].ParameterType | Should -Be ([securestring])
            $params['ApplePrivateKey'].ParameterType | Should -Be ([securestring])
            $params['Credential'].ParameterType | Should -Be ([pscredential])
            $params['Scope'].ParameterType | Should -Be ([string[]])
            $params['AdditionalIdTokenAudiences'].ParameterType | Should -Be ([string[]])
            $params['RequestedClaims'].ParameterType | Should -Be ([object]) -Because 'it takes a hashtable or JSON text'
            $params['TimeoutSec'].ParameterType | Should -Be ([int])
        }
        (Get-Command Add-KratosIdp).Parameters['Channel'] | Should -Not -BeNullOrEmpty
        (Get-Command Remove-KratosIdp).Parameters['RemoveApplication'] | Should -Not -BeNullOrEmpty
        (Get-Command Get-KratosRedirectUri).Parameters['ActionOnly'] | Should -Not -BeNullOrEmpty
        (Get-Command Get-KratosRedirectUri).Parameters['PublicUrl'] | Should -Not -BeNullOrEmpty
        (Get-Command Get-KratosPublicUrl).Parameters['PublicUrl'] | Should -Not -BeNullOrEmpty
        foreach ($c in 'Set-KratosIdpProvider', 'Remove-KratosIdp', 'Enable-KratosIdp', 'Disable-KratosIdp') {
            (Get-Command $c).Parameters['PassThru'] | Should -Not -BeNullOrEmpty -Because "$c has -PassThru"
        }
    }

    It 'Add and Set declare exactly the provider settings of the field table, in its order in help' {
        # The table's parameters (and -Credential, the client id and secret in one): each row with a parameter is declared, nothing else is.
        $table = [ExternalIdp.Commands.KratosSettingsCmdletBase]::SettingsParameters()
        $table | Should -Contain 'ClientId'
        $table | Should -Contain 'JsonnetMapper'
        $notSettings = @('Name', 'Channel', 'Wait', 'PassThru', 'ConfigPath', 'ConfigRoot', 'Model', 'KratosApplication', 'TimeoutSec', 'KratosVersion') +
            [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($c in 'Add-KratosIdp', 'Set-KratosIdpProvider') {
            $declared = @((Get-Command $c).Parameters.Keys | Where-Object { $notSettings -notcontains $_ })
            @($declared | Sort-Object) | Should -Be @($table | Sort-Object) -Because "$c declares the settings of the field table"
            # Mandatory parameters come first; the optional settings follow in the table's order.
            $syntax = @((Get-Help $c).syntax.syntaxItem[0].parameter | Where-Object { $_.required -eq 'false' -and $table -contains $_.name }).name
            $syntax.Count | Should -BeGreaterThan 10
            $syntax | Should -Be @($table | Where-Object { $syntax -contains $_ }) -Because "$c's help lists the settings in the table's order"
        }
    }

    It 'TimeoutSec defaults to 300' {
        $add = [ExternalIdp.Commands.AddKratosIdpCommand]::new()
        $add.TimeoutSec | Should -Be 300
    }
}

Describe 'Help' {
    It '<_> has a synopsis, a description and examples' -ForEach @('Add-KratosIdp', 'Get-KratosIdp', 'Set-KratosIdpProvider', 'Remove-KratosIdp',
        'Enable-KratosIdp', 'Disable-KratosIdp', 'Get-KratosRedirectUri', 'Get-KratosPublicUrl', 'Test-KratosIdp',
        'Export-KratosIdp', 'Compare-KratosIdp', 'Sync-KratosIdp') {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeLike "*$_*[<CommonParameters>]*" -Because 'the MAML help was found, not the auto-generated syntax'
        $help.Synopsis | Should -Not -BeNullOrEmpty
        ($help.Description.Text -join ' ') | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2 -Because 'every cmdlet has at least two real examples'
        foreach ($ex in $help.Examples.Example) { $ex.Code | Should -Match $_ }
    }

    It '<_> describes every parameter' -ForEach @('Add-KratosIdp', 'Get-KratosIdp', 'Set-KratosIdpProvider', 'Remove-KratosIdp',
        'Enable-KratosIdp', 'Disable-KratosIdp', 'Get-KratosRedirectUri', 'Get-KratosPublicUrl', 'Test-KratosIdp',
        'Export-KratosIdp', 'Compare-KratosIdp', 'Sync-KratosIdp') {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($p in (Get-Command $_).Parameters.Keys | Where-Object { $common -notcontains $_ }) {
            $ph = Get-Help $_ -Parameter $p
            ($ph.Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$p is documented"
        }
    }

    It 'has an about topic that explains targets, secrets, error ids and runbook use' {
        $about = Get-Help about_ExternalIdp | Out-String
        foreach ($section in 'TARGETS', 'SECRETS', 'ERROR IDS', 'RUNBOOKS AND AUTOMATION', 'DEPENDENCIES') {
            $about | Should -Match "(?m)^$section\s*$" -Because "about_ExternalIdp has a $section section"
        }
        foreach ($word in '-ConfigPath', '-ConfigRoot', '-Model', 'SecureString', 'PSCredential', 'Get-AutomationPSCredential', 'ConfirmPreference', 'NonInteractive') {
            $about | Should -Match ([regex]::Escape($word))
        }
        $ids = [ExternalIdp.Core.ErrorIds].GetFields() | Where-Object IsLiteral | ForEach-Object { $_.GetRawConstantValue() }
        $ids = @($ids) + [ExternalIdp.Commands.KratosCmdletBase]::UnexpectedErrorId + [ExternalIdp.Commands.KratosCmdletBase]::ConfirmationUnavailableErrorId
        foreach ($id in $ids) { $about | Should -Match "\b$id\b" -Because "about_ExternalIdp lists $id" }
        foreach ($line in Get-Content (Join-Path $ModulePath 'en-US/about_ExternalIdp.help.txt')) { $line.Length | Should -BeLessOrEqual 80 }
    }

    It 'the help generator fails the build when a parameter has no description or a cmdlet has fewer than two examples' {
        $source = Get-Content -Raw (Join-Path $RepoRoot 'help/ExternalIdp.help.psd1')
        $broken = $source -replace "(?m)^\s*Channel\s*=\s*'[^']*'\s*$", ''
        $broken | Should -Not -Be $source -Because 'the Channel description was taken out'
        # Leave Get-KratosPublicUrl with one example: drop the Juju one.
        $broken2 = $broken -replace "(?s)@\{\s*Title\s*=\s*'The public URL of kratos in a Juju model'.*?\}", ''
        $broken2 | Should -Not -Be $broken
        $path = Join-Path $TestDrive 'broken.help.psd1'
        Set-Content -LiteralPath $path -Value $broken2
        $out = Join-Path $TestDrive 'broken-Help.xml'
        $script = "& '$((Join-Path $RepoRoot 'build/New-ExternalIdpHelp.ps1').Replace("'", "''"))' -ModulePath '$($ModulePath.Replace("'", "''"))' -SourcePath '$($path.Replace("'", "''"))' -OutFile '$($out.Replace("'", "''"))'; exit `$LASTEXITCODE"
        $r = Invoke-ChildPwsh $script
        $r.ExitCode | Should -Be 1 -Because $r.Output
        $r.Output | Should -Match 'Add-KratosIdp -Channel has no description'
        $r.Output | Should -Match 'Get-KratosPublicUrl has fewer than two examples'
        Test-Path $out | Should -BeFalse -Because 'no half-made help is left behind'
    }

    It 'the MAML help names each cmdlet''s examples and no parameter the cmdlet lacks' {
        [xml] $maml = Get-Content -Raw (Join-Path $ModulePath 'en-US/ExternalIdp.dll-Help.xml')
        $ns = @{ command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'; maml = 'http://schemas.microsoft.com/maml/2004/10' }
        $commands = Select-Xml -Xml $maml -XPath '//command:command' -Namespace $ns
        @($commands).Count | Should -Be $Cmdlets.Count
        foreach ($c in $commands) {
            $name = (Select-Xml -Xml $c.Node -XPath './command:details/command:name' -Namespace $ns).Node.InnerText
            $documented = @((Select-Xml -Xml $c.Node -XPath './command:parameters/command:parameter/maml:name' -Namespace $ns).Node.InnerText)
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $actual = @((Get-Command $name).Parameters.Keys | Where-Object { $common -notcontains $_ })
            @($documented | Sort-Object) | Should -Be @($actual | Sort-Object) -Because "the help of $name documents exactly its parameters"
        }
    }
}

Describe 'Format views' {
    BeforeAll {
        $cfg = New-KratosConfig
        $null = Add-KratosIdp 'google-workspace-main' -ConfigPath $cfg -Provider google -ClientId c -ClientSecret $Secret
    }

    It 'the default KratosIdp view is a table of Name, Provider, ProviderId, Enabled, Status that fits 80 columns' {
        $lines = (Get-KratosIdp -ConfigPath $cfg | Out-String -Width 200) -split "`r?`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Name\s+Provider\s+ProviderId\s+Enabled\s+Status\s*$'
        foreach ($l in $lines) { $l.TrimEnd().Length | Should -BeLessOrEqual 80 }
        ($lines -join "`n") | Should -Match 'google-workspace-main'
        ($lines -join "`n") | Should -Not -Match 'ClientId'
    }

    It 'the list view shows the other properties and abbreviates a base64 mapper' {
        $text = Get-KratosIdp -ConfigPath $cfg -Name google-workspace-main | Format-List | Out-String -Width 200
        foreach ($p in 'ClientId', 'HasClientSecret', 'Scope', 'Label', 'ConfigPath', 'RedirectUri', 'TargetType') {
            $text | Should -Match "(?m)^$p\s+:"
        }
        $text | Should -Match 'base64://\.\.\. \(jsonnet'
    }

    It 'KratosIdpDifference is a table of Name, Action, Property, Desired, Actual that fits 80 columns, and a list' {
        $desired = @{ Name = 'google-workspace-main'; Label = 'A label much longer than the column it is shown in, cut'; Scope = 'openid', 'email' }
        $diffs = @($desired | Compare-KratosIdp -ConfigPath $cfg)
        $diffs | Should -HaveCount 2
        $lines = ($diffs | Out-String -Width 200) -split "`r?`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Name\s+Action\s+Property\s+Desired\s+Actual\s*$'
        foreach ($l in $lines) { $l.TrimEnd().Length | Should -BeLessOrEqual 80 }
        ($lines -join "`n") | Should -Match 'scope\s+openid email\s+email profile'
        $list = $diffs[0] | Format-List | Out-String -Width 200
        foreach ($p in 'Name', 'Action', 'Property', 'Desired', 'Actual', 'ProviderId', 'ConfigPath') { $list | Should -Match "(?m)^$p\s+:" }
    }

    It 'KratosRedirectUri shows as a list by default (never cutting the URI) and has a table view; KratosPublicUrl is a table' {
        (Get-KratosRedirectUri github -ConfigPath $cfg | Out-String -Width 200) | Should -Match '(?m)^RedirectUri\s+: https://'
        (Get-KratosRedirectUri github -ConfigPath $cfg | Format-Table | Out-String -Width 200) | Should -Match '(?m)^Name\s+Source\s+RedirectUri'
        (Get-KratosPublicUrl -ConfigPath $cfg | Out-String -Width 200) | Should -Match '(?m)^PublicUrl\s+Source'
    }
}

Describe 'Tab completion' {
    BeforeAll {
        $cfg = New-KratosConfig
    }

    It '-Provider completes every Kratos kind for a config file' {
        Get-Completions "Add-KratosIdp -ConfigPath '$cfg' -Provider goo" | Should -Contain 'google'
        Get-Completions "Add-KratosIdp -ConfigPath '$cfg' -Provider sales" | Should -Contain 'salesforce'
        Get-Completions "Set-KratosIdpProvider -ConfigPath '$cfg' -Provider micro" | Should -Contain 'microsoft'
    }

    It '-Provider completes only the kinds the integrator charm accepts without -ConfigPath' {
        Get-Completions 'Add-KratosIdp -Provider micro' | Should -Contain 'microsoft'
        Get-Completions 'Add-KratosIdp -Provider sales' | Should -Not -Contain 'salesforce'
        Get-Completions 'Add-KratosIdp -Provider yan' | Should -Not -Contain 'yandex'
    }

    It '-TenantId offers common, organizations and consumers' {
        $all = Get-Completions 'Add-KratosIdp -Provider microsoft -TenantId '
        foreach ($t in 'common', 'organizations', 'consumers') { $all | Should -Contain $t }
        Get-Completions 'Add-KratosIdp -TenantId con' | Should -Be @('consumers')
    }

    It '-Pkce, -ClaimsSource and -SubjectSource offer the values Kratos accepts' {
        Get-Completions 'Add-KratosIdp -Pkce ' | Should -Be @('auto', 'never', 'force')
        Get-Completions 'Add-KratosIdp -ClaimsSource ' | Should -Be @('id_token', 'userinfo')
        Get-Completions 'Set-KratosIdpProvider -SubjectSource o' | Should -Be @('oid')
        Get-Completions 'Add-KratosIdp -AccountLinkingMode ' | Should -Be @('confirm_with_existing_credential', 'automatic')
        Get-Completions 'Set-KratosIdpProvider -AccountLinkingMode a' | Should -Be @('automatic')
    }

    It '-KratosVersion is on every cmdlet and completes the releases ExternalIdp knows, newest first' {
        foreach ($c in (Get-Command -Module ExternalIdp)) {
            $c.Parameters['KratosVersion'] | Should -Not -BeNullOrEmpty -Because "$($c.Name) takes -KratosVersion"
            $c.Parameters['KratosVersion'].Attributes.ValueFromPipelineByPropertyName | Should -Not -Contain $true -Because 'a piped KratosIdp may carry a release that was only assumed'
        }
        $all = @(Get-Completions 'Get-KratosIdp -KratosVersion ')
        $all[0] | Should -Be 'v26.2.0'
        $all | Should -Contain 'v1.1.0'
        Get-Completions 'Set-KratosIdpProvider -KratosVersion v1.' | Should -Be @('v1.3.1', 'v1.3.0', 'v1.2.0', 'v1.1.0', 'v1.0.0')
    }

    It '-Name completes the IdPs of the bound config file, also relative to the current location' {
        Get-Completions "Remove-KratosIdp -ConfigPath '$cfg' -Name gi" | Should -Contain 'github'
        Get-Completions "Get-KratosIdp -ConfigPath '$cfg' -Name " | Should -Contain 'github'
        Push-Location (Split-Path $cfg)
        try { Get-Completions 'Set-KratosIdpProvider -ConfigPath ./kratos.yml -Name g' | Should -Contain 'github' }
        finally { Pop-Location }
    }

    It '-Name completes the integrators of a Juju model when juju answers in time' -Skip:(-not (Test-Path (Join-Path $PSScriptRoot '../fakes/FakeJuju.psm1'))) {
        Import-Module (Join-Path $PSScriptRoot '../fakes/FakeJuju.psm1') -Force
        $model = New-FakeJujuModel -Idps 2
        try {
            $null = Get-KratosIdp   # the version check is done once per juju executable, outside the budget
            # A loaded machine can push one answer past the 2-second budget: one retry each.
            $c = Get-Completions 'Remove-KratosIdp -Name '
            if ($c -notcontains 'github-idp') { $c = Get-Completions 'Remove-KratosIdp -Name ' }
            $c | Should -Contain 'github-idp'
            $c = Get-Completions 'Set-KratosIdpProvider -Name goo'
            if ($c -notcontains 'google-idp') { $c = Get-Completions 'Set-KratosIdpProvider -Name goo' }
            $c | Should -Contain 'google-idp'
        }
        finally { Remove-FakeJujuModel $model }
    }

    It '-Name completion gives up after about 2 seconds when juju hangs, and never blocks typing' -Skip:(-not (Test-Path (Join-Path $PSScriptRoot '../fakes/FakeJuju.psm1'))) {
        Import-Module (Join-Path $PSScriptRoot '../fakes/FakeJuju.psm1') -Force
        $model = New-FakeJujuModel -Idps 2
        try {
            $null = Get-KratosIdp   # the version check is done once per juju executable, outside the budget
            $env:FAKE_JUJU_HANG = 'status,export-bundle,config'
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $c = Get-Completions 'Remove-KratosIdp -Name '
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 6
            $c | Should -Not -Contain 'github-idp'
        }
        finally { Remove-FakeJujuModel $model }
    }

    It 'Export-KratosIdp -Name completes the IdPs of -ConfigPath, not of its -Path (the desired-state file)' {
        Get-Completions "Export-KratosIdp '$TestDrive/desired.yml' -ConfigPath '$cfg' -Name gi" | Should -Contain 'github'
        Get-Completions "Export-KratosIdp -Path '$cfg' -Name gi" | Should -Not -Contain 'github'
    }

    It '-Name completion gives nothing, quickly, for a file that does not exist' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        Get-Completions "Remove-KratosIdp -ConfigPath '$TestDrive/none.yml' -Name g" | Should -Not -Contain 'github'
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 5
    }
}
