# Dependency isolation: a session that loaded another YamlDotNet (as the powershell-yaml module does)
# can still import and use ExternalIdp, and the other way round. Each case runs in a fresh pwsh.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $script:OtherYamlVersion = '13.7.1'

    function Get-OtherYamlDotNet {
        <# The path of YamlDotNet 13.7.1 (netstandard2.0) in the NuGet global packages folder; restores build/testdeps when missing. #>
        $line = & dotnet nuget locals global-packages --list
        if ($LASTEXITCODE -ne 0) { throw 'dotnet nuget locals global-packages --list failed.' }
        $folder = (($line | Select-Object -First 1) -replace '^\s*global-packages:\s*', '').Trim()
        $dll = Join-Path $folder "yamldotnet/$OtherYamlVersion/lib/netstandard2.0/YamlDotNet.dll"
        if (-not (Test-Path $dll)) {
            & dotnet restore (Join-Path $RepoRoot 'build/testdeps/TestDeps.proj') -nologo -v quiet | Out-Host
            if ($LASTEXITCODE -ne 0) { throw 'dotnet restore build/testdeps/TestDeps.proj failed.' }
        }
        if (-not (Test-Path $dll)) { throw "YamlDotNet $OtherYamlVersion was restored but $dll is missing." }
        $dll
    }

    function Quote([string] $Text) { "'" + $Text.Replace("'", "''") + "'" }

    $script:OtherYaml = Get-OtherYamlDotNet
    $script:Manifest = Join-Path $ModulePath 'ExternalIdp.psd1'

    # Script fragments shared by the child sessions.
    $script:UseOtherYaml = @'
$stream = [YamlDotNet.RepresentationModel.YamlStream]::new()
$stream.Load([IO.StringReader]::new("other: [1, 2, 3]"))
$items = @($stream.Documents[0].RootNode.Children.Values)[0]
"other-items=$($items.Children.Count)"
"other-version=$([YamlDotNet.RepresentationModel.YamlStream].Assembly.GetName().Version)"
'@
    $script:Describe = @'
$core = (Get-Command Get-KratosIdp).OutputType[0].Type.Assembly
$context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core)
"core-context=$($context.GetType().FullName)"
foreach ($a in $context.Assemblies) { "in-context=$($a.GetName().Name) $($a.GetName().Version) $($a.Location)" }
$defaultYaml = @([System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | Where-Object { $_.GetName().Name -eq 'YamlDotNet' })
"default-yaml=$(($defaultYaml | ForEach-Object { $_.GetName().Version }) -join ',')"
'@
}

Describe 'Dependency isolation (PowerShell 7: ExternalIdp.Core in a load context of its own)' {
    It 'works in a session that loaded YamlDotNet 13 first, and leaves that YamlDotNet to the session' {
        $cfg = New-KratosConfig
        $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path $(Quote $OtherYaml)
$UseOtherYaml
Import-Module $(Quote $Manifest)
`$secret = ConvertTo-SecureString -String 'iso-secret-1' -AsPlainText -Force
`$idp = Add-KratosIdp google -ConfigPath $(Quote $cfg) -Provider google -ClientId iso-client -ClientSecret `$secret
"added=`$(`$idp.Name) `$(`$idp -is [ExternalIdp.KratosIdp])"
"names=`$((Get-KratosIdp -ConfigPath $(Quote $cfg)).Name -join ',')"
Set-KratosIdpProvider google -ConfigPath $(Quote $cfg) -Label 'Isolated'
"label=`$((Get-KratosIdp google -ConfigPath $(Quote $cfg)).Label)"
$Describe
$UseOtherYaml
"@
        $r = Invoke-ChildPwsh $script
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match 'added=google True'
        $r.Output | Should -Match 'names=github,google'
        $r.Output | Should -Match 'label=Isolated'
        $r.Output | Should -Match 'core-context=ExternalIdp\.Commands\.IsolatedLoadContext'
        # ExternalIdp's own YamlDotNet (16) from its dependencies folder, next to the session's 13.
        $dependencies = [regex]::Escape((Join-Path $ModulePath 'dependencies'))
        $r.Output | Should -Match "in-context=YamlDotNet 16\.\S+ $dependencies"
        $r.Output | Should -Match "in-context=ExternalIdp\.Core \S+ $dependencies"
        $r.Output | Should -Match 'default-yaml=13\.0\.0\.0(\r?\n|$)'
        # The session's YamlDotNet still answers, before and after ExternalIdp used its own.
        ([regex]::Matches($r.Output, 'other-items=3')).Count | Should -Be 2
        ([regex]::Matches($r.Output, 'other-version=13\.0\.0\.0')).Count | Should -Be 2
        (Get-Content -Raw $cfg) | Should -Match 'client_id: iso-client'
    }

    It 'lets a session load and use YamlDotNet 13 after ExternalIdp loaded its own' {
        $cfg = New-KratosConfig
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module $(Quote $Manifest)
`$secret = ConvertTo-SecureString -String 'iso-secret-2' -AsPlainText -Force
`$null = Add-KratosIdp entra -ConfigPath $(Quote $cfg) -Provider microsoft -TenantId common -ClientId iso-ms -ClientSecret `$secret
"names=`$((Get-KratosIdp -ConfigPath $(Quote $cfg)).Name -join ',')"
Add-Type -Path $(Quote $OtherYaml)
$UseOtherYaml
Remove-KratosIdp github -ConfigPath $(Quote $cfg)
"after=`$((Get-KratosIdp -ConfigPath $(Quote $cfg)).Name -join ',')"
$Describe
"@
        $r = Invoke-ChildPwsh $script
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match 'names=github,entra'
        $r.Output | Should -Match 'other-items=3'
        $r.Output | Should -Match 'other-version=13\.0\.0\.0'
        $r.Output | Should -Match 'after=entra(\r?\n|$)'
        $r.Output | Should -Match 'in-context=YamlDotNet 16\.'
        $r.Output | Should -Match 'default-yaml=13\.0\.0\.0(\r?\n|$)'
    }

    It 'keeps YamlDotNet and Newtonsoft.Json of ExternalIdp out of the default load context' {
        $cfg = New-KratosConfig
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module $(Quote $Manifest)
`$null = Get-KratosIdp -ConfigPath $(Quote $cfg)
`$null = Get-KratosRedirectUri github -ConfigPath $(Quote $cfg)
`$default = [System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies
"default-core=`$(@(`$default | Where-Object { `$_.GetName().Name -eq 'ExternalIdp.Core' }).Count)"
"default-yaml=`$(@(`$default | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' }).Count)"
"default-from-module=`$(@(`$default | Where-Object { `$_.Location -and `$_.Location.StartsWith($(Quote (Join-Path $ModulePath 'dependencies'))) }).Count)"
"type-literal=`$([ExternalIdp.KratosIdp].Assembly.GetName().Name)"
"error-ids=`$([ExternalIdp.Core.ErrorIds]::IdpNotFound)"
try { Get-KratosIdp nothing-here -ConfigPath $(Quote $cfg) -ErrorAction Stop } catch [ExternalIdp.Core.ExternalIdpException] { "caught=`$(`$_.Exception.ErrorId)" }
"@
        $r = Invoke-ChildPwsh $script
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match 'default-core=0'
        $r.Output | Should -Match 'default-yaml=0'
        $r.Output | Should -Match 'default-from-module=0'
        # Scripts still name the module's types as before.
        $r.Output | Should -Match 'type-literal=ExternalIdp\.Core'
        $r.Output | Should -Match 'error-ids=KratosIdpNotFound'
        $r.Output | Should -Match 'caught=KratosIdpNotFound'
    }

    It 'imports in several runspaces of one process (runbook jobs) with one ExternalIdp.Core' {
        $a = New-KratosConfig
        $b = New-KratosConfig
        $jobs = foreach ($path in $a, $b) {
            Start-ThreadJob -ArgumentList $Manifest, $path -ScriptBlock {
                param($m, $p)
                Import-Module $m
                $idp = Get-KratosIdp -ConfigPath $p
                [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($idp.GetType().Assembly).GetHashCode()
            }
        }
        $results = @($jobs | Wait-Job -Timeout 60 | Receive-Job)
        $jobs | Remove-Job -Force
        $results | Should -HaveCount 2
        $results[0] | Should -Be $results[1]
        $results[0] | Should -Be ([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Get-KratosIdp).OutputType[0].Type.Assembly).GetHashCode())
    }

    It 'the Windows PowerShell 5.1 resolver answers only for its own assemblies and versions (exercised directly)' {
        # .NET Framework can't be run here: call its AssemblyResolve answer in a child pwsh instead.
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module $(Quote $Manifest)
`$loader = [ExternalIdp.Commands.KratosCmdletBase].Assembly.GetType('ExternalIdp.Commands.DependencyLoader')
`$resolve = `$loader.GetMethod('ResolveDesktop', [Reflection.BindingFlags] 'Static, NonPublic')
`$folder = Join-Path $(Quote $ModulePath) 'dependencies'
foreach (`$name in 'YamlDotNet, Version=16.0.0.0, Culture=neutral, PublicKeyToken=ec19458f3c15af5e',
                  'YamlDotNet, Version=11.0.0.0, Culture=neutral, PublicKeyToken=ec19458f3c15af5e',
                  'Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed',
                  'ExternalIdp.Core, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null',
                  'Some.Other.Library, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null') {
    `$a = `$resolve.Invoke(`$null, [object[]] @([string] `$folder, [ResolveEventArgs]::new([string] `$name)))
    "`$((`$name -split ',')[0]) `$((`$name -split '=')[1].Split(',')[0]) -> `$(if (`$a) { "`$(`$a.GetName().Version) `$(`$a.Location)" } else { 'none' })"
}
"@
        $r = Invoke-ChildPwsh $script
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $dependencies = [regex]::Escape((Join-Path $ModulePath 'dependencies'))
        $r.Output | Should -Match "YamlDotNet 16\.0\.0\.0 -> 16\.0\.0\.0 $dependencies"
        $r.Output | Should -Match 'YamlDotNet 11\.0\.0\.0 -> none' -Because 'another version of a strong-named assembly is left to whoever asked for it'
        # An assembly of the same identity that the process already holds (PowerShell 7's own Newtonsoft.Json here) is that one.
        $r.Output | Should -Match 'Newtonsoft\.Json 13\.0\.0\.0 -> 13\.0\.0\.0 \S+Newtonsoft\.Json\.dll'
        $r.Output | Should -Match "ExternalIdp\.Core 0\.1\.0\.0 -> 0\.1\.0\.0 $dependencies"
        $r.Output | Should -Match 'Some\.Other\.Library 1\.0\.0\.0 -> none'
    }
}
