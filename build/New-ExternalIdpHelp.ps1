<#
.SYNOPSIS
    Generates the MAML help of the ExternalIdp cmdlets from help/ExternalIdp.help.psd1 and the
    built cmdlets' own metadata (parameter sets, types, positions, pipeline input, aliases).
.DESCRIPTION
    Fails when a cmdlet, or one of its parameters, has no description in the source, or a cmdlet has
    fewer than two examples, so the help can't silently fall behind the code. Run by build.ps1 in a child PowerShell.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SourcePath,
    [Parameter(Mandatory)] [string] $OutFile
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$source = Import-PowerShellDataFile -LiteralPath $SourcePath
$module = Import-Module $ModulePath -PassThru -Force
$commonNames = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

$nsMaml = 'http://schemas.microsoft.com/maml/2004/10'
$nsCommand = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$nsDev = 'http://schemas.microsoft.com/maml/dev/2004/10'

$problems = [System.Collections.Generic.List[string]]::new()

# Order of named parameters in the syntax: the name, the provider settings in the field table's order, then the
# target, then Juju-only switches.
$preferred = @('Name') + [ExternalIdp.Commands.KratosSettingsCmdletBase]::SettingsParameters() + @('PublicUrl', 'ConfigPath',
    'ConfigRoot', 'Model', 'KratosApplication', 'Channel', 'Wait', 'TimeoutSec', 'RemoveApplication', 'ActionOnly', 'PassThru')
function Get-Rank([string] $Name) { $i = [array]::IndexOf($preferred, $Name); if ($i -lt 0) { 999 } else { $i } }

function Get-ParameterText([string] $Command, [string] $Parameter) {
    $own = $source.Cmdlets[$Command].Parameters
    if ($own -and $own.ContainsKey($Parameter)) { return $own[$Parameter] }
    if ($source.CommonParameters.ContainsKey($Parameter)) { return $source.CommonParameters[$Parameter] }
    $problems.Add("$Command -$Parameter has no description in $SourcePath.")
    return ''
}

function Write-Paras([System.Xml.XmlWriter] $W, [string[]] $Paragraphs) {
    foreach ($p in $Paragraphs) { $W.WriteElementString('maml', 'para', $nsMaml, $p) }
}

function Get-TypeName([type] $Type) {
    if ($Type -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    $Type.Name
}

function Write-Parameter([System.Xml.XmlWriter] $W, [string] $Command, $Parameter, $SetInfo) {
    # $Parameter: System.Management.Automation.ParameterMetadata; $SetInfo: CommandParameterInfo in one set (or $null)
    $attrs = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
    if ($SetInfo) {
        $required = $SetInfo.IsMandatory
        $position = if ($SetInfo.Position -ge 0) { [string] $SetInfo.Position } else { 'named' }
        $byValue = $SetInfo.ValueFromPipeline
        $byName = $SetInfo.ValueFromPipelineByPropertyName
    }
    else {
        $required = [bool] ($attrs | Where-Object { $_.Mandatory })
        $pos = @($attrs | Where-Object { $_.Position -ge 0 } | Select-Object -First 1)
        $position = if ($pos) { [string] $pos[0].Position } else { 'named' }
        $byValue = [bool] ($attrs | Where-Object { $_.ValueFromPipeline })
        $byName = [bool] ($attrs | Where-Object { $_.ValueFromPipelineByPropertyName })
    }
    $pipeline = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
    $globbing = [bool] ($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $aliases = if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }
    $isSwitch = $Parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]

    $W.WriteStartElement('command', 'parameter', $nsCommand)
    $W.WriteAttributeString('required', $required.ToString().ToLowerInvariant())
    $W.WriteAttributeString('variableLength', 'true')
    $W.WriteAttributeString('globbing', $globbing.ToString().ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', $pipeline)
    $W.WriteAttributeString('position', $position)
    $W.WriteAttributeString('aliases', $aliases)
    $W.WriteElementString('maml', 'name', $nsMaml, $Parameter.Name)
    $W.WriteStartElement('maml', 'description', $nsMaml)
    Write-Paras $W (Get-ParameterText $Command $Parameter.Name)
    $W.WriteEndElement()
    if (-not $isSwitch) {
        $W.WriteStartElement('command', 'parameterValue', $nsCommand)
        $W.WriteAttributeString('required', 'true')
        $W.WriteAttributeString('variableLength', 'false')
        $W.WriteString((Get-TypeName $Parameter.ParameterType))
        $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $nsDev)
    $W.WriteElementString('maml', 'name', $nsMaml, $Parameter.ParameterType.FullName)
    $W.WriteEndElement()
    $default = switch ($Parameter.Name) { 'TimeoutSec' { '300' } 'KratosApplication' { 'kratos' } default { if ($isSwitch) { 'False' } else { 'None' } } }
    $W.WriteElementString('dev', 'defaultValue', $nsDev, $default)
    $W.WriteEndElement()
}

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$writer = [System.Xml.XmlWriter]::Create($OutFile, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')

    $commands = Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name
    foreach ($command in $commands) {
        $name = $command.Name
        $doc = $source.Cmdlets[$name]
        if (-not $doc) { $problems.Add("$name has no entry in $SourcePath."); continue }
        foreach ($key in 'Synopsis', 'Description', 'Examples') {
            if (-not $doc[$key]) { $problems.Add("$name has no $key in $SourcePath.") }
        }
        if (@($doc.Examples).Count -lt 2) { $problems.Add("$name has fewer than two examples in $SourcePath.") }
        foreach ($ex in @($doc.Examples)) {
            if (-not $ex.Title -or -not $ex.Code) { $problems.Add("$name has an example without Title or Code in $SourcePath.") }
            elseif ($ex.Code -notmatch [regex]::Escape($name)) { $problems.Add("$name example '$($ex.Title)' does not use $name.") }
        }
        $verb, $noun = $name -split '-', 2

        $writer.WriteStartElement('command', 'command', $nsCommand)
        $writer.WriteAttributeString('xmlns', 'maml', $null, $nsMaml)
        $writer.WriteAttributeString('xmlns', 'command', $null, $nsCommand)
        $writer.WriteAttributeString('xmlns', 'dev', $null, $nsDev)

        $writer.WriteStartElement('command', 'details', $nsCommand)
        $writer.WriteElementString('command', 'name', $nsCommand, $name)
        $writer.WriteElementString('command', 'verb', $nsCommand, $verb)
        $writer.WriteElementString('command', 'noun', $nsCommand, $noun)
        $writer.WriteStartElement('maml', 'description', $nsMaml)
        Write-Paras $writer $doc.Synopsis
        $writer.WriteEndElement()
        $writer.WriteEndElement()

        $writer.WriteStartElement('maml', 'description', $nsMaml)
        Write-Paras $writer $doc.Description
        $writer.WriteEndElement()

        # Syntax: one item per parameter set, in the cmdlet's own order.
        $writer.WriteStartElement('command', 'syntax', $nsCommand)
        foreach ($set in $command.ParameterSets) {
            $writer.WriteStartElement('command', 'syntaxItem', $nsCommand)
            $writer.WriteElementString('maml', 'name', $nsMaml, $name)
            $ordered = $set.Parameters | Where-Object { $commonNames -notcontains $_.Name } |
                Sort-Object @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { 1000 } } }, @{ Expression = { -not $_.IsMandatory } }, @{ Expression = { Get-Rank $_.Name } }
            foreach ($p in $ordered) { Write-Parameter $writer $name $command.Parameters[$p.Name] $p }
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()

        $writer.WriteStartElement('command', 'parameters', $nsCommand)
        foreach ($p in ($command.Parameters.Values | Where-Object { $commonNames -notcontains $_.Name } | Sort-Object Name)) {
            Write-Parameter $writer $name $p $null
        }
        $writer.WriteEndElement()

        $writer.WriteStartElement('command', 'inputTypes', $nsCommand)
        $writer.WriteStartElement('command', 'inputType', $nsCommand)
        $writer.WriteStartElement('dev', 'type', $nsDev)
        $writer.WriteElementString('maml', 'name', $nsMaml, 'ExternalIdp.KratosIdp')
        $writer.WriteEndElement()
        $writer.WriteStartElement('maml', 'description', $nsMaml)
        Write-Paras $writer 'Any object with Name, ConfigPath, ConfigRoot, Model or KratosApplication properties binds by property name, such as the objects Get-KratosIdp writes.'
        $writer.WriteEndElement()
        $writer.WriteEndElement()
        $writer.WriteEndElement()

        $writer.WriteStartElement('command', 'returnValues', $nsCommand)
        foreach ($t in $command.OutputType) {
            $writer.WriteStartElement('command', 'returnValue', $nsCommand)
            $writer.WriteStartElement('dev', 'type', $nsDev)
            $writer.WriteElementString('maml', 'name', $nsMaml, $t.Name)
            $writer.WriteEndElement()
            $writer.WriteStartElement('maml', 'description', $nsMaml)
            Write-Paras $writer 'Never holds a secret.'
            $writer.WriteEndElement()
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()

        $writer.WriteStartElement('maml', 'alertSet', $nsMaml)
        $writer.WriteStartElement('maml', 'alert', $nsMaml)
        Write-Paras $writer @(
            'Errors carry stable ErrorIds (KratosIdpNotFound, KratosIdpAlreadyExists, KratosIdpInvalidConfiguration, KratosConfigFileInvalid, JujuCommandFailed, ...); see about_ExternalIdp and the README for the full list.'
            'Secrets (client secret, Apple private key) are taken as SecureString or PSCredential only and never appear in output, streams, errors or child-process command lines.'
        )
        $writer.WriteEndElement()
        $writer.WriteEndElement()

        $writer.WriteStartElement('command', 'examples', $nsCommand)
        $i = 0
        foreach ($ex in @($doc.Examples)) {
            $i++
            $writer.WriteStartElement('command', 'example', $nsCommand)
            $writer.WriteElementString('maml', 'title', $nsMaml, "-------------------------- Example $($i): $($ex.Title) --------------------------")
            $writer.WriteElementString('dev', 'code', $nsDev, $ex.Code)
            $writer.WriteStartElement('dev', 'remarks', $nsDev)
            Write-Paras $writer $(if ($ex.Remarks) { $ex.Remarks } else { '' })
            $writer.WriteEndElement()
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()

        $writer.WriteStartElement('command', 'relatedLinks', $nsCommand)
        foreach ($other in ($commands | Where-Object Name -ne $name)) {
            $writer.WriteStartElement('maml', 'navigationLink', $nsMaml)
            $writer.WriteElementString('maml', 'linkText', $nsMaml, $other.Name)
            $writer.WriteElementString('maml', 'uri', $nsMaml, '')
            $writer.WriteEndElement()
        }
        $writer.WriteStartElement('maml', 'navigationLink', $nsMaml)
        $writer.WriteElementString('maml', 'linkText', $nsMaml, 'about_ExternalIdp')
        $writer.WriteElementString('maml', 'uri', $nsMaml, '')
        $writer.WriteEndElement()
        $writer.WriteEndElement()

        $writer.WriteEndElement() # command:command
    }
    foreach ($documented in $source.Cmdlets.Keys) {
        if (-not ($commands | Where-Object Name -eq $documented)) { $problems.Add("$SourcePath documents $documented, which the module does not export.") }
    }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally {
    $writer.Dispose()
}

if ($problems.Count) {
    $problems | ForEach-Object { Write-Host "help: $_" -ForegroundColor Red }
    Remove-Item -LiteralPath $OutFile -Force
    exit 1
}
Write-Host "help: wrote $OutFile for $(@($commands).Count) cmdlets"
exit 0
