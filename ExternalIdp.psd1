# ExternalIdp.Core, YamlDotNet and Newtonsoft.Json live in dependencies/ and are loaded by the module
# initializer (an isolated load context on PowerShell 7). Never list them in NestedModules or
# RequiredAssemblies: PowerShell would load them into the default context and undo the isolation.
@{
    RootModule           = 'ExternalIdp.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '24754ba6-f5fd-4b05-850f-0031a60256ea'
    Author               = 'ExternalIdp contributors'
    CompanyName          = 'ExternalIdp contributors'
    Copyright            = '(c) ExternalIdp contributors.'
    Description          = 'Manage the external identity providers (Google, Azure AD / Entra ID, GitHub, Apple, any OpenID Connect issuer) of an Ory Kratos identity broker, in a Kratos config file or in a Canonical Identity Platform Juju model.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('ExternalIdp.format.ps1xml')
    CmdletsToExport      = @(
        'Add-KratosIdp'
        'Get-KratosIdp'
        'Set-KratosIdpProvider'
        'Remove-KratosIdp'
        'Enable-KratosIdp'
        'Disable-KratosIdp'
        'Get-KratosRedirectUri'
        'Get-KratosPublicUrl'
        'Test-KratosIdp'
        'Export-KratosIdp'
        'Compare-KratosIdp'
        'Sync-KratosIdp'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Kratos', 'Ory', 'OIDC', 'OAuth2', 'IdentityProvider', 'SSO', 'Juju', 'IdentityPlatform', 'AzureAD', 'Entra', 'Windows', 'Linux', 'MacOS', 'PSEdition_Desktop', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/externalidp/ExternalIdp'
            LicenseUri   = 'https://github.com/externalidp/ExternalIdp/blob/main/LICENSE'
        }
    }
}
