<#
.SYNOPSIS
    Packs a built ExternalIdp module folder (out/ExternalIdp) into
    - ExternalIdp.zip: for Azure Automation (Modules > Add a module): the zip, its one root folder and
      the manifest all named ExternalIdp, and no path inside longer than 140 characters;
    - ExternalIdp.<ModuleVersion>.nupkg: for a PowerShell repository (Publish-Module /
      Publish-PSResource layout: the module files and ExternalIdp.nuspec at the package root).
.DESCRIPTION
    Called by build.ps1 Package after Build, and by tests/pester/Packaging.Tests.ps1. Checks the
    manifest with Test-ModuleManifest first. Writes the two files into -OutputPath and returns
    their paths.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem

$MaxPathLength = 140
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$name = Split-Path $ModulePath -Leaf
$manifestPath = Join-Path $ModulePath "$name.psd1"
if (-not (Test-Path -LiteralPath $manifestPath)) { throw "$ModulePath has no $name.psd1: build the module first (./build.ps1 Build)." }

# Test-ModuleManifest checks that every file it names exists; Import-PowerShellDataFile gives the raw values.
$null = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
$manifest = Import-PowerShellDataFile -LiteralPath $manifestPath
$version = [string] $manifest.ModuleVersion
$psData = $manifest.PrivateData.PSData

New-Item -ItemType Directory -Path $OutputPath -Force | Out-Null
$OutputPath = (Resolve-Path -LiteralPath $OutputPath).Path

# The module's files, as paths relative to the module folder with '/' separators.
$files = Get-ChildItem -LiteralPath $ModulePath -Recurse -File | Sort-Object FullName | ForEach-Object {
    [pscustomobject]@{
        FullName = $_.FullName
        Relative = $_.FullName.Substring($ModulePath.Length).TrimStart('\', '/').Replace('\', '/')
    }
}

function Add-Entry([System.IO.Compression.ZipArchive] $Zip, [string] $EntryName, [string] $SourcePath, [string] $Text) {
    $entry = $Zip.CreateEntry($EntryName, [System.IO.Compression.CompressionLevel]::Optimal)
    $stream = $entry.Open()
    try {
        if ($PSBoundParameters.ContainsKey('Text')) {
            $bytes = [Text.UTF8Encoding]::new($false).GetBytes($Text)
            $stream.Write($bytes, 0, $bytes.Length)
        }
        else {
            $source = [IO.File]::OpenRead($SourcePath)
            try { $source.CopyTo($stream) } finally { $source.Dispose() }
        }
    }
    finally { $stream.Dispose() }
}

function New-Zip([string] $Path, [scriptblock] $Fill) {
    if (Test-Path -LiteralPath $Path) { Remove-Item -LiteralPath $Path -Force }
    $zip = [System.IO.Compression.ZipFile]::Open($Path, [System.IO.Compression.ZipArchiveMode]::Create)
    try { & $Fill $zip } finally { $zip.Dispose() }
}

# ---- Azure Automation zip: ExternalIdp.zip / ExternalIdp/ExternalIdp.psd1 ----------------------
$zipPath = Join-Path $OutputPath "$name.zip"
foreach ($f in $files) {
    $entryName = "$name/$($f.Relative)"
    if ($entryName.Length -gt $MaxPathLength) { throw "$entryName is longer than $MaxPathLength characters, which Azure Automation refuses." }
}
New-Zip $zipPath {
    param($zip)
    foreach ($f in $files) { Add-Entry $zip "$name/$($f.Relative)" $f.FullName }
}

# ---- PowerShell repository package: ExternalIdp.<version>.nupkg -------------------------------
function ConvertTo-XmlText([string] $Text) { [System.Security.SecurityElement]::Escape($Text) }

$commands = @($manifest.CmdletsToExport)
$tags = [System.Collections.Generic.List[string]]::new()
foreach ($t in @($psData.Tags) + 'PSModule' + 'PSIncludes_Cmdlet') { if ($t -and -not $tags.Contains($t)) { $tags.Add($t) } }
foreach ($c in $commands) { $tags.Add("PSCmdlet_$c"); $tags.Add("PSCommand_$c") }
foreach ($e in @($manifest.CompatiblePSEditions)) { if (-not $tags.Contains("PSEdition_$e")) { $tags.Add("PSEdition_$e") } }

$nuspec = @"
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd">
  <metadata>
    <id>$(ConvertTo-XmlText $name)</id>
    <version>$(ConvertTo-XmlText $version)</version>
    <authors>$(ConvertTo-XmlText $manifest.Author)</authors>
    <owners>$(ConvertTo-XmlText $manifest.CompanyName)</owners>
    <requireLicenseAcceptance>false</requireLicenseAcceptance>
    <license type="expression">MIT</license>
    <projectUrl>$(ConvertTo-XmlText $psData.ProjectUri)</projectUrl>
    <description>$(ConvertTo-XmlText $manifest.Description)</description>
    <copyright>$(ConvertTo-XmlText $manifest.Copyright)</copyright>
    <tags>$(ConvertTo-XmlText ($tags -join ' '))</tags>
  </metadata>
</package>
"@

$extensions = @($files | ForEach-Object { [IO.Path]::GetExtension($_.Relative).TrimStart('.') } | Where-Object { $_ } | Sort-Object -Unique)
$contentTypes = [Text.StringBuilder]::new()
$null = $contentTypes.Append('<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">')
$null = $contentTypes.Append('<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />')
$null = $contentTypes.Append('<Default Extension="nuspec" ContentType="application/octet" />')
foreach ($x in $extensions | Where-Object { $_ -notin 'rels', 'nuspec' }) {
    $null = $contentTypes.Append("<Default Extension=`"$(ConvertTo-XmlText $x)`" ContentType=`"application/octet`" />")
}
foreach ($f in $files | Where-Object { -not [IO.Path]::GetExtension($_.Relative) }) {
    $null = $contentTypes.Append("<Override PartName=`"/$(ConvertTo-XmlText $f.Relative)`" ContentType=`"application/octet`" />")
}
$null = $contentTypes.Append('</Types>')

$rels = @"
<?xml version="1.0" encoding="utf-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/$name.nuspec" Id="R0" /></Relationships>
"@

$nupkgPath = Join-Path $OutputPath "$name.$version.nupkg"
New-Zip $nupkgPath {
    param($zip)
    Add-Entry $zip '_rels/.rels' -Text $rels
    Add-Entry $zip "$name.nuspec" -Text $nuspec
    foreach ($f in $files) { Add-Entry $zip $f.Relative $f.FullName }
    Add-Entry $zip '[Content_Types].xml' -Text $contentTypes.ToString()
}

Write-Host "package: wrote $zipPath and $nupkgPath"
$zipPath
$nupkgPath
