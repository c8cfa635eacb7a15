# Packaging: the Azure Automation zip and the PowerShell repository .nupkg that build.ps1 Package
# makes (through build/New-ExternalIdpPackage.ps1, run here on the built module), and the manifest
# fields a PowerShell repository shows.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem

    function Quote([string] $Text) { "'" + $Text.Replace("'", "''") + "'" }

    function Get-ZipEntries([string] $Path) {
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Path)
        try { @($zip.Entries | ForEach-Object FullName) } finally { $zip.Dispose() }
    }

    function Read-ZipText([string] $Path, [string] $Entry) {
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Path)
        try {
            $e = $zip.GetEntry($Entry)
            if (-not $e) { return $null }
            $reader = [IO.StreamReader]::new($e.Open())
            try { $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
    }

    $script:Manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'ExternalIdp.psd1')
    $script:Version = [string] $Manifest.ModuleVersion
    $script:PackageOut = Join-Path $TestDrive 'package'
    $script:Packed = @(& (Join-Path $RepoRoot 'build/New-ExternalIdpPackage.ps1') -ModulePath $ModulePath -OutputPath $PackageOut 6>$null)
    $script:ZipPath = Join-Path $PackageOut 'ExternalIdp.zip'
    $script:NupkgPath = Join-Path $PackageOut "ExternalIdp.$Version.nupkg"
    $script:ModuleFiles = @(Get-ChildItem $ModulePath -Recurse -File | ForEach-Object {
            $_.FullName.Substring($ModulePath.TrimEnd('\', '/').Length).TrimStart('\', '/').Replace('\', '/')
        })

    # Imports the module from a folder in a fresh pwsh -NonInteractive and uses it on a config file.
    $script:UseModuleScript = {
        param([string] $Psd1, [string] $Config)
        @"
`$ErrorActionPreference = 'Stop'
`$m = Import-Module $(Quote $Psd1) -PassThru
"imported=`$(`$m.Name) `$(`$m.Version) `$(`$m.ExportedCmdlets.Count)"
`$null = Add-KratosIdp google -ConfigPath $(Quote $Config) -Provider google -ClientId packaged -ClientSecret (ConvertTo-SecureString -String 'pkg-secret' -AsPlainText -Force)
"names=`$((Get-KratosIdp -ConfigPath $(Quote $Config)).Name -join ',')"
"core=`$((Get-Command Get-KratosIdp).OutputType[0].Type.Assembly.Location)"
"synopsis=`$((Get-Help Add-KratosIdp).Synopsis)"
"about=`$((Get-Help about_ExternalIdp | Out-String) -match 'KratosIdpNotFound')"
"@
    }
}

Describe 'Azure Automation zip' {
    It 'is named like its one root folder and the manifest: ExternalIdp.zip / ExternalIdp/ExternalIdp.psd1' {
        $Packed | Should -Contain $ZipPath
        Test-Path $ZipPath | Should -BeTrue
        $entries = Get-ZipEntries $ZipPath
        $entries | Should -Contain 'ExternalIdp/ExternalIdp.psd1'
        foreach ($e in $entries) { $e | Should -BeLike 'ExternalIdp/*' -Because 'everything is inside the one root folder' }
        [IO.Path]::GetFileNameWithoutExtension($ZipPath) | Should -Be 'ExternalIdp'
    }

    It 'holds every file of the module, with forward slashes and no path over 140 characters' {
        $entries = Get-ZipEntries $ZipPath
        foreach ($f in $ModuleFiles) { $entries | Should -Contain "ExternalIdp/$f" }
        $entries | Should -Contain 'ExternalIdp/dependencies/ExternalIdp.Core.dll'
        $entries | Should -Contain 'ExternalIdp/en-US/ExternalIdp.dll-Help.xml'
        foreach ($e in $entries) {
            $e.Length | Should -BeLessOrEqual 140 -Because "$e must fit Azure Automation's limit"
            $e | Should -Not -Match '\\'
        }
    }

    It 'unpacks into a temp folder and imports from there in a fresh pwsh -NonInteractive' {
        $unpacked = Join-Path $TestDrive 'unzipped'
        Expand-Archive -LiteralPath $ZipPath -DestinationPath $unpacked
        $psd1 = Join-Path $unpacked 'ExternalIdp/ExternalIdp.psd1'
        Test-Path $psd1 | Should -BeTrue
        $cfg = New-KratosConfig
        $r = Invoke-ChildPwsh (& $UseModuleScript $psd1 $cfg)
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match "imported=ExternalIdp $([regex]::Escape($Version)) 12"
        $r.Output | Should -Match 'names=github,google'
        $r.Output | Should -Match ('core=' + [regex]::Escape((Join-Path $unpacked 'ExternalIdp/dependencies/ExternalIdp.Core.dll')))
        $r.Output | Should -Match 'synopsis=Registers a new external identity provider'
        $r.Output | Should -Match 'about=True'
    }
}

Describe 'PowerShell repository package (.nupkg)' {
    It 'is a zip with ExternalIdp.nuspec (id ExternalIdp, version = ModuleVersion) and the module at its root' {
        $Packed | Should -Contain $NupkgPath
        $entries = Get-ZipEntries $NupkgPath
        foreach ($e in 'ExternalIdp.nuspec', 'ExternalIdp.psd1', 'ExternalIdp.dll', '[Content_Types].xml', '_rels/.rels', 'dependencies/ExternalIdp.Core.dll') {
            $entries | Should -Contain $e
        }
        foreach ($f in $ModuleFiles) { $entries | Should -Contain $f }
        [xml] $nuspec = Read-ZipText $NupkgPath 'ExternalIdp.nuspec'
        $nuspec.package.metadata.id | Should -Be 'ExternalIdp'
        $nuspec.package.metadata.version | Should -Be $Version
        $nuspec.package.metadata.projectUrl | Should -Be $Manifest.PrivateData.PSData.ProjectUri
        $nuspec.package.metadata.description | Should -Be $Manifest.Description
        $tags = $nuspec.package.metadata.tags -split ' '
        foreach ($t in 'PSModule', 'PSEdition_Desktop', 'PSEdition_Core', 'PSCmdlet_Add-KratosIdp', 'PSCommand_Get-KratosIdp', 'Kratos') { $tags | Should -Contain $t }
        [xml] $rels = Read-ZipText $NupkgPath '_rels/.rels'
        $rels.Relationships.Relationship.Target | Should -Be '/ExternalIdp.nuspec'
    }

    It 'installs from a local repository with PSResourceGet and imports in a fresh pwsh' -Skip:(-not (Get-Module -ListAvailable Microsoft.PowerShell.PSResourceGet)) {
        $repo = Join-Path $TestDrive 'repo'
        $dest = Join-Path $TestDrive 'saved'
        $data = Join-Path $TestDrive 'userdata'
        New-Item -ItemType Directory -Path $repo, $dest, $data | Out-Null
        Copy-Item $NupkgPath $repo
        $name = 'ExternalIdpTest' + [guid]::NewGuid().ToString('n').Substring(0, 8)
        $cfg = New-KratosConfig
        $script = @"
`$ErrorActionPreference = 'Stop'
# PSResourceGet keeps its repository list in the user's data folder: a temporary one where the platform allows (XDG).
`$env:XDG_DATA_HOME = $(Quote $data)
Register-PSResourceRepository -Name $name -Uri $(Quote $repo) -Trusted
try {
    `$found = Find-PSResource -Name ExternalIdp -Repository $name
    "found=`$(`$found.Name) `$(`$found.Version) `$(`$found.Includes.Cmdlet -contains 'Add-KratosIdp')"
    Save-PSResource -Name ExternalIdp -Repository $name -Path $(Quote $dest) -TrustRepository -SkipDependencyCheck
}
finally { Unregister-PSResourceRepository -Name $name }
"@
        $r = Invoke-ChildPwsh $script
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match "found=ExternalIdp $([regex]::Escape($Version)) True"
        $psd1 = Join-Path $dest "ExternalIdp/$Version/ExternalIdp.psd1"
        Test-Path $psd1 | Should -BeTrue
        $r = Invoke-ChildPwsh (& $UseModuleScript $psd1 $cfg)
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match 'names=github,google'
        $r.Output | Should -Match 'synopsis=Registers a new external identity provider'
    }
}

Describe 'Manifest for publishing' {
    It 'passes Test-ModuleManifest with explicit exports, both editions, PowerShell 5.1, tags, project and licence URIs' {
        $m = Test-ModuleManifest (Join-Path $ModulePath 'ExternalIdp.psd1') -ErrorAction Stop
        $m.Name | Should -Be 'ExternalIdp'
        $m.ExportedCmdlets.Count | Should -Be 12
        $Manifest.CmdletsToExport | Should -Not -Contain '*'
        foreach ($k in 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport') { @($Manifest[$k]).Count | Should -Be 0 -Because "$k is an explicit empty list" }
        $m.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $m.PowerShellVersion | Should -Be ([version] '5.1')
        $m.Tags | Should -Contain 'Kratos'
        $m.Tags | Should -Contain 'PSEdition_Desktop'
        $m.Tags | Should -Contain 'PSEdition_Core'
        $m.ProjectUri | Should -Be 'https://github.com/externalidp/ExternalIdp'
        $m.LicenseUri | Should -Be 'https://github.com/externalidp/ExternalIdp/blob/main/LICENSE'
    }

    It 'ships the MIT licence that LicenseUri names' {
        $license = Get-Content -Raw (Join-Path $RepoRoot 'LICENSE')
        $license | Should -Match '^MIT License'
        (Get-Content -Raw (Join-Path $ModulePath 'LICENSE')) | Should -Be $license
    }
}
