# Help source of the ExternalIdp cmdlets. build/New-ExternalIdpHelp.ps1 turns it into MAML
# (out/ExternalIdp/en-US/ExternalIdp.dll-Help.xml), taking syntax, types, positions and pipeline
# input from the built cmdlets themselves. Every cmdlet and every parameter must be described here:
# the generator fails the build otherwise.
@{
    # Parameters shared by several cmdlets. A cmdlet's own Parameters entry overrides these.
    CommonParameters = @{
        ConfigPath        = 'Path of a Kratos config file (kratos.yml, kratos.yaml or kratos.json, or a Helm values.yaml together with -ConfigRoot). A relative path is relative to the current PowerShell location. Without -ConfigPath the target is a Canonical Identity Platform Juju model, driven through the juju CLI found on PATH. A KratosIdp object piped in brings its own ConfigPath.'
        ConfigRoot        = 'Dotted path of the Kratos configuration inside a bigger YAML file, for example kratos.config for the values.yaml of the Ory Kratos Helm chart. Only with -ConfigPath.'
        Model             = 'Juju model to work on, as [controller:]model. Default: the current model (juju switch). Not with -ConfigPath.'
        KratosApplication = 'Name of the kratos application in the Juju model. Default: kratos.'
        ClientId          = 'The OAuth2 / OpenID Connect client id that the identity provider issued for Kratos.'
        ClientSecret      = 'The client secret that the identity provider issued, as a SecureString (a PSCredential is accepted too: its password is used). A plain string is refused. Not for apple. The secret is written only to its destination and never shown.'
        Credential        = 'A PSCredential whose user name is the client id and whose password is the client secret, for example from Get-AutomationPSCredential in an Azure Automation runbook. Replaces -ClientId and -ClientSecret.'
        TenantId          = 'microsoft only: the Azure AD / Entra ID tenant, as its GUID (Directory (tenant) ID), a verified domain (contoso.onmicrosoft.com), or common, organizations or consumers.'
        IssuerUrl         = 'generic and auth0 (required), gitlab (optional, for a self-hosted GitLab): the OpenID Connect issuer URL, for example https://login.example.com/realms/main. Kratos reads <issuer>/.well-known/openid-configuration.'
        AppleTeamId       = 'apple only: your Apple Developer Team ID (10 characters).'
        ApplePrivateKeyId = 'apple only: the Key ID of the Sign in with Apple private key (10 characters).'
        ApplePrivateKey   = 'apple only: the content of the .p8 private key file (PEM), as a SecureString or PSCredential, for example (ConvertTo-SecureString (Get-Content -Raw ./AuthKey.p8) -AsPlainText -Force). Kratos makes the client secret from it.'
        ProviderId        = 'The Kratos provider id: the last segment of the redirect URI and part of every linked identity''s credential (<id>:<subject>). Default on a config file: the -Name, or the id the kratos-external-idp-integrator charm would generate (<provider>_<sha1>). Changing it later breaks existing users'' links and changes the redirect URI.'
        Label             = 'Text of the login button. Default: the provider''s display name (Google, Microsoft, ...). On Set-KratosIdpProvider, an empty string removes it.'
        Scope             = 'The OAuth2 scopes to request, one per item (-Scope openid, email, profile). Default: the provider''s usual scopes. On Set-KratosIdpProvider, an empty array (-Scope @()) removes the key so that Kratos uses its own default.'
        JsonnetMapper     = 'The Jsonnet mapper that turns the provider''s claims into identity traits: its source, or the path of a .jsonnet file (read when the file exists). Written as mapper_url: base64://... . Default: a mapper that takes the email only when the provider says it is verified (for microsoft, which sends no email_verified claim, the email as it comes) and the given/family name.'
        MapperUrl         = 'The mapper as a URL Kratos can read: file:///..., https://... or base64://<jsonnet in base64>. Use either -MapperUrl or -JsonnetMapper. The Juju charm only takes jsonnet source (base64:// is decoded for it).'
        SubjectSource     = 'Config file only, microsoft only: where Kratos takes the subject (the user''s id at the IdP) from: userinfo, me or oid (oid from Kratos v25.4.0 on).'
        ClaimsSource      = 'Config file only: where Kratos reads the claims from: id_token or userinfo (Kratos v1.1.0 and later).'
        Pkce              = 'Config file only: PKCE mode: auto, never or force (Kratos v1.3.0 and later). With force, the redirect URI has no provider id.'
        AuthUrl           = 'Config file only: the IdP''s authorization endpoint (Kratos''s auth_url), for an OAuth2 / OpenID Connect server that has no discovery document, for example https://sso.example.com/oauth2/authorize. An absolute http(s) URL; a query is kept. On Set-KratosIdpProvider an empty string removes it.'
        TokenUrl          = 'Config file only: the IdP''s token endpoint (Kratos''s token_url), for example https://sso.example.com/oauth2/token; used with -AuthUrl. On Set-KratosIdpProvider an empty string removes it.'
        RequestedClaims   = 'Config file only: the OpenID Connect claims request Kratos sends to the IdP (requested_claims): a hashtable such as @{ id_token = @{ email = $null; email_verified = @{ essential = $true } } }, a [pscustomobject], or the same as JSON text. Its id_token and userinfo members map claim names to $null or to an object with essential (a boolean), value or values. Written into the config as one line of JSON; KratosIdp shows it as compact JSON. On Set-KratosIdpProvider an empty string removes it.'
        OrganizationId    = 'Config file only: the UUID of the organization this provider belongs to (Kratos v1.1.0 and later; Kratos says it is effective on the Ory Network). The redirect URI becomes <base>/self-service/methods/oidc/organization/<organization id>/callback/<provider id>. On Set-KratosIdpProvider an empty string removes it.'
        AdditionalIdTokenAudiences = 'Config file only: more client ids whose ID tokens Kratos accepts when an app signs in by submitting an ID token itself (for example the iOS and Android client ids of a native app), one per item (Kratos v1.1.0 and later). On Set-KratosIdpProvider an empty array (@()) removes it.'
        AccountLinkingMode = 'Config file only: how Kratos resolves a sign-in whose email belongs to an existing account: confirm_with_existing_credential (Kratos''s default: the user proves they own the account) or automatic (linked when the IdP verified the email). Kratos v26.2.0 and later; Kratos says it is effective on the Ory Network. On Set-KratosIdpProvider an empty string removes it.'
        KratosVersion     = 'The Kratos release that reads the target, for example v1.1.0, 1.1 or 26.2 (tab completion lists the releases ExternalIdp knows). Default: the config file''s top-level version: key; on Juju the workload version of the kratos application in juju status; else the newest release ExternalIdp knows. Add-KratosIdp and Set-KratosIdpProvider refuse a key, value or provider kind that this release does not accept, before anything changes (KratosIdpNotSupportedByVersion), because one key Kratos does not know makes it refuse its whole config; Get-KratosIdp reports existing entries that it would reject (Status Invalid). The KratosVersion property of the output says which release was used. A value that is not a release number is refused.'
        Wait              = 'Juju only: wait until the integrator reports the provider ready (or blocked, which is an error), then fill in the redirect URI.'
        TimeoutSec        = 'Juju only: seconds after which a juju command that hangs (each one), or -Wait, is given up with JujuTimeout; the error says what state was left. Default: 300. The get-redirect-uri and show-proxied-endpoints actions are given as long again (at most 15 s more), since juju itself waits -TimeoutSec for them. Given with -ConfigPath it is refused with KratosIdpParameterNotSupported.'
        PassThru          = 'Writes the resulting KratosIdp object to the pipeline. By default this cmdlet writes nothing.'
        PublicUrl         = 'The public base URL of Kratos (for example https://auth.example.com) to use instead of the one the target knows (serve.public.base_url or base_redirect_uri in a config file, traefik data on Juju).'
    }

    Cmdlets = @{
        'Add-KratosIdp' = @{
            Synopsis    = 'Registers a new external identity provider with Ory Kratos and returns it.'
            Description = @(
                'Add-KratosIdp checks every value first (provider kind, kind-specific settings, URLs, tenant, ids) and changes nothing when one is wrong. Then, on a Kratos config file, it appends a provider entry to selfservice.methods.oidc.config.providers and switches selfservice.methods.oidc.enabled on, keeping every other byte of the file (comments, order, quoting). On a Juju model it deploys a kratos-external-idp-integrator application named -Name with all options in a private file (mode 0600, deleted afterwards; never on a command line) that juju can read: in ~/snap/juju/common when the juju on PATH is the strictly confined snap (its path holds /snap/), else in the temp folder. Then it integrates the application with kratos.'
                'On Juju, a value that YAML would not read back as the same text (an all-digit client id, 1e3, .5, null, ~, true, yes, a leading * & ! and the like) is refused with JujuUnsafeValue before juju is run: the kratos charm writes the values into Kratos''s YAML config without quotes, and Kratos refuses its whole config when it reads a number, a boolean or null where it expects text.'
                'It returns the new ExternalIdp.KratosIdp. Its RedirectUri is the callback URI you must register at the identity provider (Get-KratosRedirectUri gives it again later). Secrets never appear in the output, in verbose or debug text, or in errors.'
                'It asks for confirmation only when you ask for it (-Confirm, or $ConfirmPreference set to Medium or lower): ConfirmImpact is Medium so that runbooks never prompt.'
            )
            Parameters  = @{
                Name     = 'Config file: the provider id (optional; same as -ProviderId). Juju: the name of the integrator application (optional; derived from the provider, for example google-idp).'
                Provider = 'The kind of identity provider, as Kratos names it: google, microsoft (Azure AD / Entra ID), github, apple, generic (any OpenID Connect issuer), auth0, gitlab, ... Tab completion lists them (on Juju only those the integrator charm accepts).'
                Channel  = 'Juju only: the charm channel to deploy kratos-external-idp-integrator from, for example latest/stable.'
            }
            Examples    = @(
                @{
                    Title   = 'Add Google to a Kratos config file'
                    Code    = '$secret = Read-Host -AsSecureString -Prompt ''Google client secret''
Add-KratosIdp -ConfigPath ./kratos.yml -Provider google -ProviderId google -ClientId 1234-abc.apps.googleusercontent.com -ClientSecret $secret'
                    Remarks = 'Appends a google provider with id google (label Google, scopes email and profile, the default mapper) and turns the OIDC method on. The output shows the redirect URI to register in the Google Cloud console.'
                }
                @{
                    Title   = 'Add Azure AD / Entra ID from an Azure Automation credential'
                    Code    = '$cred = Get-AutomationPSCredential -Name ''entra-kratos''
Add-KratosIdp -ConfigPath /etc/kratos/kratos.yml -Provider microsoft -TenantId contoso.onmicrosoft.com -Credential $cred -ProviderId entra -Label ''Contoso account'''
                    Remarks = 'The credential''s user name is the client id and its password the client secret. No prompt appears in a runbook.'
                }
                @{
                    Title   = 'Add a generic OpenID Connect issuer inside a Helm values.yaml'
                    Code    = 'Add-KratosIdp keycloak -ConfigPath ./values.yaml -ConfigRoot kratos.config -Provider generic -IssuerUrl https://sso.example.com/realms/main -ClientId kratos -ClientSecret (Get-Secret keycloak-kratos)'
                    Remarks = 'The provider id is keycloak; the Kratos config sits under kratos.config in the chart''s values.'
                }
                @{
                    Title   = 'Add an enterprise IdP without discovery, for one organization, asking for extra claims'
                    Code    = 'Add-KratosIdp corp-sso -ConfigPath ./kratos.yml -Provider generic -IssuerUrl https://sso.example.com -ClientId kratos -ClientSecret (Get-Secret corp-sso) `
    -AuthUrl https://sso.example.com/oauth2/authorize -TokenUrl https://sso.example.com/oauth2/token `
    -RequestedClaims @{ id_token = @{ email = $null; email_verified = @{ essential = $true }; groups = $null } } `
    -OrganizationId 0b8f3a52-7c1e-4d2a-9a55-3f0f8e2d4c11 -AdditionalIdTokenAudiences ios-client, android-client'
                    Remarks = 'Kratos asks the IdP for the email, email_verified and groups claims in the ID token, uses the given endpoints, and also accepts ID tokens issued to the two native clients. The output''s RedirectUri is the organization callback, https://auth.example.com/self-service/methods/oidc/organization/0b8f3a52-7c1e-4d2a-9a55-3f0f8e2d4c11/callback/corp-sso. organization_id and additional_id_token_audiences need Kratos v1.1.0 or later: on an older release (the file''s version: key or -KratosVersion) the command is refused with KratosIdpNotSupportedByVersion and the file is left alone.'
                }
                @{
                    Title   = 'Add a provider to a file whose Kratos is older than the file says'
                    Code    = 'Add-KratosIdp google -ConfigPath ./kratos.yml -KratosVersion v1.2.0 -Provider google -ClientId 1234-abc.apps.googleusercontent.com -ClientSecret $secret -Pkce force'
                    Remarks = 'Refused with KratosIdpNotSupportedByVersion: pkce came in Kratos v1.3.0, and a Kratos v1.2.0 that finds it refuses its whole config. Leave -Pkce out, or upgrade Kratos first.'
                }
                @{
                    Title   = 'Add GitHub to the Canonical Identity Platform on Juju and wait for it'
                    Code    = 'Add-KratosIdp github-idp -Model iam -Provider github -ClientId Iv1.0123 -ClientSecret (Read-Host -AsSecureString) -Wait'
                    Remarks = 'Deploys kratos-external-idp-integrator as github-idp, integrates it with kratos, waits until it is ready and returns it with the redirect URI answered by the charm.'
                }
            )
        }

        'Get-KratosIdp' = @{
            Synopsis    = 'Lists the external identity providers of Ory Kratos.'
            Description = @(
                'Get-KratosIdp reads the providers of a Kratos config file (every entry of selfservice.methods.oidc.config.providers, including ones Kratos would reject: those have Status Invalid and their Problems listed), or the kratos-external-idp-integrator applications of a Juju model with their status.'
                'The objects carry their target, so they can be piped to Set-KratosIdpProvider, Remove-KratosIdp, Get-KratosRedirectUri, Enable-KratosIdp and Disable-KratosIdp without naming the target again. They never hold a secret: HasClientSecret and HasApplePrivateKey say whether one is set. OtherSettings holds, by Kratos key, the settings of an entry that have no property of their own (fedcm_config_url, net_id_token_origin_header); every edit keeps them as they are.'
                'Status is Invalid, with Problems naming the key and the release, when the Kratos release of the target would reject an entry: a key, value or provider kind that came in a later release. The release is -KratosVersion, else the config file''s top-level version: key, else on Juju the kratos application''s workload version, else the newest release ExternalIdp knows; the KratosVersion and KratosVersionSource properties say which.'
            )
            Parameters  = @{
                Name = 'Names of the IdPs to get; wildcards are allowed. Default: all. A name without wildcards that matches nothing is a KratosIdpNotFound error.'
            }
            Examples    = @(
                @{
                    Title   = 'List the providers of a config file'
                    Code    = 'Get-KratosIdp -ConfigPath ./kratos.yml'
                    Remarks = 'Shows a table of Name, Provider, ProviderId, Enabled and Status.'
                }
                @{
                    Title   = 'Show every setting of the Microsoft providers'
                    Code    = 'Get-KratosIdp -ConfigPath ./kratos.yml -Name micro*, entra* | Format-List'
                    Remarks = ''
                }
                @{
                    Title   = 'Find entries that Kratos would reject'
                    Code    = 'Get-KratosIdp -ConfigPath ./kratos.yml | Where-Object Status -eq Invalid | Select-Object Name, Problems'
                    Remarks = ''
                }
                @{
                    Title   = 'Find the entries a Kratos release would refuse before you deploy it'
                    Code    = 'Get-KratosIdp -ConfigPath ./kratos.yml -KratosVersion v1.1.0 | Where-Object Status -eq Invalid | Select-Object Name, Problems'
                    Remarks = 'Problems name each key, value or kind that Kratos v1.1.0 does not accept and the release that first does, for example "Kratos v1.1.0 (-KratosVersion) does not accept key ''pkce'' (from v1.3.0)". Without -KratosVersion the file''s version: key is used; KratosVersion on each object says which release was used.'
                }
                @{
                    Title   = 'List the integrators of a Juju model'
                    Code    = 'Get-KratosIdp -Model iam'
                    Remarks = 'Status is the integrator''s workload status (active, blocked, waiting).'
                }
            )
        }

        'Set-KratosIdpProvider' = @{
            Synopsis    = 'Changes the provider settings of an existing external identity provider.'
            Description = @(
                'Set-KratosIdpProvider changes only the settings you give: the provider kind, client id or secret, tenant, issuer, Apple ids and key, provider id, label, scope, mapper, and on a config file subject source, claims source, PKCE, auth and token URLs, requested claims, organization id, additional ID token audiences and account linking mode. An empty string (or an empty -Scope or -AdditionalIdTokenAudiences) removes an optional setting. Everything is checked first; nothing changes when a value is wrong, nor when the Kratos release of the target (-KratosVersion, else the config file''s version: key) does not accept a key, value or kind you give (KratosIdpNotSupportedByVersion).'

                'On a config file only the changed keys of the entry are rewritten. On Juju it runs juju config with the changed options on its standard input (juju config --file -), so no secret is ever on a command line or in a file; values the kratos charm would write into a config Kratos refuses are refused first, as on Add-KratosIdp. Changing -ProviderId (or a client id an automatic id depends on) changes the redirect URI and breaks existing users'' links: a warning says so. So does a change of -OrganizationId, or of -Pkce to or from force, which moves the redirect URI.'
            )
            Parameters  = @{
                Name     = 'The IdP to change: the provider id on a config file, the integrator application on Juju. Binds from the Name property of a piped KratosIdp.'
                Provider = 'A new provider kind. Settings the new kind does not take are removed (and reported); settings it requires must be given.'
            }
            Examples    = @(
                @{
                    Title   = 'Rotate a client secret'
                    Code    = 'Set-KratosIdpProvider google -ConfigPath ./kratos.yml -ClientSecret (Read-Host -AsSecureString)'
                    Remarks = ''
                }
                @{
                    Title   = 'Relabel every provider of a file'
                    Code    = 'Get-KratosIdp -ConfigPath ./kratos.yml | Set-KratosIdpProvider -Label ''Sign in'' -PassThru'
                    Remarks = 'The piped objects bring their name and ConfigPath.'
                }
                @{
                    Title   = 'Identify Entra users by their object id and link accounts automatically'
                    Code    = 'Set-KratosIdpProvider entra -ConfigPath ./kratos.yml -SubjectSource oid -AccountLinkingMode automatic -PassThru | Select-Object Name, SubjectSource, AccountLinkingMode, KratosVersion'
                    Remarks = 'subject_source oid needs Kratos v25.4.0 and account_linking_mode v26.2.0: a file whose version: key names an older release is refused with KratosIdpNotSupportedByVersion. Changing the subject source changes the id Kratos links users by, so do it before users sign in.'
                }
                @{
                    Title   = 'Accept ID tokens of a native app, and give the claims request as JSON'
                    Code    = 'Set-KratosIdpProvider corp-sso -ConfigPath ./kratos.yml -AdditionalIdTokenAudiences ios-client -RequestedClaims ''{"userinfo": {"groups": null}}'''
                    Remarks = 'Replaces both settings; -RequestedClaims '''' or -AdditionalIdTokenAudiences @() removes them.'
                }
                @{
                    Title   = 'Go back to the provider''s default scopes'
                    Code    = 'Set-KratosIdpProvider entra -ConfigPath ./kratos.yml -Scope @()'
                    Remarks = 'Removes the scope key; Kratos then uses its default.'
                }
            )
        }

        'Remove-KratosIdp' = @{
            Synopsis    = 'Unregisters external identity providers.'
            Description = @(
                'On a config file Remove-KratosIdp deletes the provider entry (an emptied list stays as providers: []). On Juju it removes the relation between the integrator and kratos; with -RemoveApplication it also removes the integrator application. It only ever removes kratos-external-idp-integrator applications.'
                'ConfirmImpact is Medium, so with the default $ConfirmPreference (High) it does not prompt, which keeps runbooks working. Use -Confirm to be asked, or -WhatIf to see what would be removed. Users who signed in through the IdP keep their identities but can no longer use it to sign in.'
            )
            Parameters  = @{
                Name              = 'The IdPs to remove: provider ids on a config file, integrator applications on Juju. Binds from the Name property of piped KratosIdp objects.'
                RemoveApplication = 'Juju only: also remove the integrator application (default: only its relation to kratos, so it can be integrated again).'
                PassThru          = 'Writes each removed KratosIdp, as it was before removal, to the pipeline; nothing for an IdP that was not removed (on Juju an integrator that was not related to kratos, without -RemoveApplication: a warning says so). By default this cmdlet writes nothing.'
            }
            Examples    = @(
                @{
                    Title   = 'Remove one provider'
                    Code    = 'Remove-KratosIdp github -ConfigPath ./kratos.yml'
                    Remarks = ''
                }
                @{
                    Title   = 'See what would be removed, then remove every invalid entry'
                    Code    = 'Get-KratosIdp -ConfigPath ./kratos.yml | Where-Object Status -eq Invalid | Remove-KratosIdp -WhatIf
Get-KratosIdp -ConfigPath ./kratos.yml | Where-Object Status -eq Invalid | Remove-KratosIdp'
                    Remarks = ''
                }
                @{
                    Title   = 'Remove an integrator and its application from a Juju model'
                    Code    = 'Remove-KratosIdp github-idp -Model iam -RemoveApplication'
                    Remarks = ''
                }
            )
        }

        'Enable-KratosIdp' = @{
            Synopsis    = 'Switches an external identity provider on.'
            Description = @(
                'On Juju Enable-KratosIdp sets the integrator''s enabled option to true, so that kratos registers the provider again.'
                'A Kratos config file has no per-provider switch: there the cmdlet fails with KratosIdpParameterNotSupported (use Add-KratosIdp / Remove-KratosIdp, or the method-wide selfservice.methods.oidc.enabled).'
            )
            Parameters  = @{
                Name = 'The integrator applications to enable. Binds from the Name property of piped KratosIdp objects.'
                Wait = 'Juju only: wait until the integrator reports the provider ready (blocked is an error). When the wait fails, the error says that the option was set; the same command with -Wait again only waits.'
            }
            Examples    = @(
                @{
                    Title   = 'Enable an integrator and wait until kratos offers it again'
                    Code    = 'Enable-KratosIdp github-idp -Model iam -Wait -TimeoutSec 120 -PassThru'
                    Remarks = 'Sets enabled=true on the github-idp application, waits (at most 120 s) until it is active with "The OIDC provider is ready", and returns the IdP with its status.'
                }
                @{
                    Title   = 'Switch every disabled integrator of a model back on, in a runbook'
                    Code    = 'Get-KratosIdp -Model iam | Where-Object { -not $_.Enabled } | Enable-KratosIdp -PassThru | Select-Object Name, Enabled, Status'
                    Remarks = 'The piped objects bring their name, model and kratos application. Enable-KratosIdp never prompts at the default $ConfirmPreference, so this runs unattended.'
                }
            )
        }

        'Disable-KratosIdp' = @{
            Synopsis    = 'Switches an external identity provider off without removing it.'
            Description = @(
                'On Juju Disable-KratosIdp sets the integrator''s enabled option to false: kratos drops the provider while the application and its settings stay, so Enable-KratosIdp brings it back.'
                'A Kratos config file has no per-provider switch: there the cmdlet fails with KratosIdpParameterNotSupported.'
            )
            Parameters  = @{
                Name = 'The integrator applications to disable. Binds from the Name property of piped KratosIdp objects.'
                Wait = 'Juju only: wait until the integrator reports the provider disabled (blocked is an error). When the wait fails, the error says that the option was set; the same command with -Wait again only waits.'
            }
            Examples    = @(
                @{
                    Title   = 'Disable one integrator'
                    Code    = 'Disable-KratosIdp github-idp -Model iam'
                    Remarks = 'kratos drops the GitHub login button; the application and its settings stay, so Enable-KratosIdp github-idp -Model iam brings it back.'
                }
                @{
                    Title   = 'Disable every integrator of a model for maintenance'
                    Code    = 'Get-KratosIdp -Model iam | Disable-KratosIdp -WhatIf
Get-KratosIdp -Model iam | Disable-KratosIdp -PassThru'
                    Remarks = 'The first line shows what would change; the second does it and returns the disabled IdPs.'
                }
            )
        }

        'Get-KratosRedirectUri' = @{
            Synopsis    = 'Gets the callback (redirect) URI to register at the identity provider.'
            Description = @(
                'On a config file the URI is computed: <base>/self-service/methods/oidc/callback/<provider id>, where base is -PublicUrl, selfservice.methods.oidc.config.base_redirect_uri or serve.public.base_url (a path prefix in the base is kept). With pkce: force the provider id is left out, as Kratos does.'
                'On Juju the integrator''s get-redirect-uri action is asked on <app>/leader; when it can''t answer (not related yet, provider not registered), the URI is computed from Kratos''s public URL and Source says Computed with the Reason, unless -ActionOnly is given.'
            )
            Parameters  = @{
                Name       = 'The IdPs whose redirect URI you want. Binds from the Name property of piped KratosIdp objects.'
                ActionOnly = 'Juju only: return only the answer of the get-redirect-uri action; fail with KratosRedirectUriUnavailable instead of computing the URI.'
            }
            Examples    = @(
                @{
                    Title   = 'The redirect URI of one provider'
                    Code    = '(Get-KratosRedirectUri google -ConfigPath ./kratos.yml).RedirectUri'
                    Remarks = 'https://auth.example.com/self-service/methods/oidc/callback/google'
                }
                @{
                    Title   = 'All redirect URIs of a file, for a public URL the file does not know'
                    Code    = 'Get-KratosIdp -ConfigPath ./kratos.yml | Get-KratosRedirectUri -PublicUrl https://login.example.org'
                    Remarks = ''
                }
            )
        }

        'Test-KratosIdp' = @{
            Synopsis    = 'Checks that external identity providers will work before a user tries to sign in.'
            Description = @(
                'Kratos looks at a provider only when someone first signs in with it, so a wrong issuer, a Microsoft tenant in the wrong form, a broken Apple key or a mapper that writes traits the identity schema lacks shows up as "Unable to initialize OpenID Connect Provider" or a failed registration in front of a user. Test-KratosIdp finds these first. It reads the IdPs as Get-KratosIdp does (a config file once; on Juju the same two juju calls) and changes nothing.'
                'It writes one ExternalIdp.KratosIdpCheck per check and IdP: IdP, Check, Result (Pass, Warning, Fail or Skipped) and Message (what was found and, for Warning and Fail, what to do). The checks, in this order: Settings (complete and valid for the kind; the Problems of Get-KratosIdp, template values such as ${VAR}, empty secrets; on Juju also the integrator''s status and relation), KratosVersion (every key, value and the kind against the first Kratos release that accepts it: -KratosVersion, else the config file''s version: key, or on Juju the kratos application''s workload version), MicrosoftTenant (a GUID, a domain, or common / organizations / consumers), AppleKey (team id and key id of 10 characters; a PKCS#8 PEM holding an EC P-256 key), Mapper (base64:// decodes, a file:// mapper exists, relative paths taken from the config file''s folder), IdentitySchema (the traits ExternalIdp''s default mapper writes exist in the identity schema the config names, and every required trait is one it fills; skipped for your own mappers, https:// schemas and Juju).'
                'Online checks (-Offline skips them): Discovery (GET <issuer>/.well-known/openid-configuration of the issuer Kratos uses for the kind: issuer_url for generic, auth0 and gitlab (https://gitlab.com when unset), https://login.microsoftonline.com/<tenant>/v2.0 for microsoft, the fixed issuers of google, apple, netid, line and linkedin_v2; kinds that sign in through an OAuth2 API, such as github, are skipped), Issuer (equal, character for character, to the issuer Kratos compares; for microsoft the {tenantid} template or the tenant''s GUID, since Kratos builds the issuer from each token''s tid), ResponseType (code), Scopes (the requested scopes are in scopes_supported; a Warning when not), Pkce (S256 is offered when Kratos uses PKCE: pkce force, or auto, Kratos''s default, when the IdP announces it), Jwks (jwks_uri answers with a key set).'
                'Only GET requests for public documents are sent: never a client secret or a private key. Each request may take -TimeoutSec seconds and goes through the system proxy (HTTPS_PROXY / HTTP_PROXY and NO_PROXY on Linux and macOS, the Internet settings on Windows). A TLS or connection failure is a Fail with its reason. The IdPs are checked at the same time; the results are written IdP by IdP in the order of the IdPs. With -Quiet the cmdlet writes one boolean per IdP instead, true when no check failed, like Test-Connection -Quiet.'
            )
            Parameters  = @{
                Name          = 'The IdPs to check; wildcards are allowed. Default: all IdPs of the target. Binds from the Name property of piped KratosIdp objects, which also bring their target. A name without wildcards that matches nothing is a KratosIdpNotFound error.'
                Offline       = 'Runs only the checks that need no network; Discovery, Issuer, ResponseType, Scopes, Pkce and Jwks are reported as Skipped.'
                TimeoutSec    = 'Seconds each network request may take before it counts as failed (Discovery or Jwks fails with the reason). Default: 10. On Juju, the juju commands that read the model are given as long (default 300 s when -TimeoutSec is not given). Unlike the other cmdlets, Test-KratosIdp takes it with -ConfigPath too.'
                KratosVersion = 'The Kratos release to check the entries against, for example v1.1.0, 1.3 or 26.2 (tab completion lists the known releases). Default: the config file''s top-level version: key, or on Juju the workload version of the kratos application in juju status; without either the KratosVersion check is skipped, saying which release the entry needs. A value that is not a release number is refused.'
                Quiet         = 'Writes one boolean per IdP instead of the checks: true when none of its checks failed (warnings and skipped checks count as passed).'
            }
            Examples    = @(
                @{
                    Title   = 'Check every IdP of a config file'
                    Code    = 'Test-KratosIdp -ConfigPath ./kratos.yml'
                    Remarks = 'A table of IdP, Check, Result and Message; Warning and Fail messages say what to change.'
                }
                @{
                    Title   = 'Show only what needs attention'
                    Code    = 'Test-KratosIdp -ConfigPath /etc/kratos/kratos.yml | Where-Object Result -in Fail, Warning | Format-List IdP, Check, Result, Message, Url'
                    Remarks = ''
                }
                @{
                    Title   = 'Check the integrators of a Juju model, piped from Get-KratosIdp'
                    Code    = 'Get-KratosIdp -Model iam | Test-KratosIdp -KratosVersion 26.2'
                    Remarks = 'The model is read once (status and export-bundle); the KratosIdp objects bring their model.'
                }
                @{
                    Title   = 'Fail a runbook or a deployment pipeline when an IdP would not work'
                    Code    = 'if ((Test-KratosIdp -ConfigPath ./kratos.yml -Quiet) -contains $false) { throw ''An IdP would fail at sign-in: run Test-KratosIdp -ConfigPath ./kratos.yml for details.'' }'
                    Remarks = 'One boolean per IdP; $false when one of its checks failed.'
                }
                @{
                    Title   = 'Check the settings only, without network, against the Kratos release you run'
                    Code    = 'Test-KratosIdp google, entra -ConfigPath ./kratos.yml -Offline -KratosVersion v1.1.0'
                    Remarks = 'Finds keys such as pkce that Kratos v1.1.0 does not know (one unknown key makes Kratos refuse its whole config).'
                }
            )
        }

        'Export-KratosIdp' = @{
            Synopsis    = 'Writes the external identity providers of a target as a desired-state file, without secrets.'
            Description = @(
                'Export-KratosIdp reads a Kratos config file or a Juju model (as Get-KratosIdp does) and writes its IdPs to -Path as a desired-state file: YAML, or JSON when the name ends in .json. The file starts with version: 1 and lists the IdPs under idps: as a mapping of name to settings, with the same names as the parameters of Add-KratosIdp (provider, provider_id, label, client_id, client_secret, issuer_url, tenant, subject_source, apple_team_id, apple_private_key_id, apple_private_key, scope, mapper_url, claims_source, pkce). Kratos keys that have no parameter (auth_url, token_url, requested_claims, organization_id, ...) are written as they are, under their Kratos names.'
                'No secret is ever written: a secret appears as its name (client_secret: google names the secret google; by default the IdP''s name), whose value Sync-KratosIdp takes from -Secret or -Vault. The provider id is always written, so the IdPs keep it wherever the file is synced; a label or scope the IdP lacks is written empty, so that no default fills it in. On Juju, integrators that are not related to kratos are not exported (a warning names them).'
                'The file is written through a temp file beside it and a rename, so a reader never sees half of it.'
            )
            Parameters  = @{
                Path       = 'The desired-state file to write (replaced when it exists, unless -NoClobber): YAML, or JSON when the name ends in .json.'
                Name       = 'The IdPs to export; wildcards are allowed. Default: all. A name without wildcards that matches nothing is a KratosIdpNotFound error.'
                NoClobber  = 'Refuses to replace an existing file (KratosDesiredStateFileError).'
                PassThru   = 'Writes the file''s FileInfo to the pipeline. By default Export-KratosIdp writes nothing.'
                ConfigPath = 'The Kratos config file to export (kratos.yml, kratos.yaml or kratos.json, or a Helm values.yaml with -ConfigRoot). Without -ConfigPath the target is a Juju model. Here -Path is the desired-state file.'
            }
            Examples    = @(
                @{
                    Title   = 'Write the IdPs of a config file to a desired-state file'
                    Code    = 'Export-KratosIdp ./idps.yml -ConfigPath /etc/kratos/kratos.yml'
                    Remarks = 'idps.yml lists every IdP with its settings and the names of its secrets; review it and keep it in version control.'
                }
                @{
                    Title   = 'Export some IdPs of a Juju model as JSON'
                    Code    = 'Export-KratosIdp ./iam-idps.json -Model iam -Name google*, entra'
                    Remarks = ''
                }
            )
        }

        'Compare-KratosIdp' = @{
            Synopsis    = 'Compares a desired state of external identity providers with a target and writes what differs.'
            Description = @(
                'Compare-KratosIdp takes the desired state from -Path (a desired-state file, as Export-KratosIdp writes it) or from the pipeline (KratosIdp objects of any target, or hashtables / objects with Name and settings properties such as Provider, ClientId, Label, Scope, or their desired-state names client_id, ...), reads the target once (a config file: one read; Juju: the two juju calls of Get-KratosIdp) and writes one ExternalIdp.KratosIdpDifference (Name, Action, Property, Desired, Actual) per difference: Add for an IdP the target lacks, Change per setting that differs, and with -Prune Remove for an IdP of the target the desired state doesn''t name. Nothing written means in sync. It changes nothing.'
                'Settings the desired state doesn''t mention are not compared. A secret is compared only when the desired state names one and its value is given (-Secret, -Vault, or carried by a KratosIdp object from its source) and the target''s can be read; it shows only as (secret ''name'') against (differs), (none) or (not readable), never a value. The target is given by -ConfigPath or -Model only, never by piped objects, which are the desired state.'
                'Each desired IdP is checked as Add-KratosIdp and Set-KratosIdpProvider check theirs: one that the target can''t take is a non-terminating error naming it and where it was read; the others are compared. A desired-state file with an unknown key, a duplicate name or provider id, or a value of the wrong type is refused whole (KratosDesiredStateInvalid) with the file, line and column of each problem.'
            )
            Parameters  = @{
                Path           = 'A desired-state file (YAML, or JSON when the name ends in .json): version: 1 and idps: as a mapping of IdP name to settings. See Export-KratosIdp.'
                InputObject    = 'The desired state from the pipeline: KratosIdp objects (from Get-KratosIdp on any target: their secrets are read again from their source inside ExternalIdp, never through the pipeline), or hashtables / objects with Name and settings (Provider, ClientId, Label, Scope, TenantId, ... or client_id, ...; a secret as the name of a secret, or a SecureString).'
                Secret         = 'The secrets the desired state names: a hashtable of secret name to SecureString or PSCredential (its password), for example @{ google = $googleSecret; entra = (Get-AutomationPSCredential -Name entra-kratos) }.'
                Vault          = 'A SecretManagement vault to read the secrets the desired state names from (Get-Secret -Name <name> -Vault <vault>). Needs the Microsoft.PowerShell.SecretManagement module (KratosSecretManagementNotFound without it); a secret the vault lacks is an error for the IdP that needs it.'
                Prune          = 'Also reports the IdPs of the target that the desired state doesn''t name, as Remove (what Sync-KratosIdp -Prune would remove).'
                KratosVersion  = 'The Kratos release to check keys and kinds against (for example 26.2), instead of the config file''s version: key. On Juju nothing is checked without it.'
                ConfigPath     = 'The Kratos config file to compare with. Never taken from piped objects. Without -ConfigPath the target is a Juju model.'
                ConfigRoot     = 'Dotted path of the Kratos configuration inside a bigger YAML file (kratos.config for the Ory Helm chart''s values.yaml). Only with -ConfigPath; never taken from piped objects.'
                Model          = 'The Juju model to compare with, as [controller:]model. Default: the current model. Never taken from piped objects.'
                KratosApplication = 'The kratos application in the Juju model. Default: kratos. Never taken from piped objects.'
            }
            Examples    = @(
                @{
                    Title   = 'What a Sync would change in a config file'
                    Code    = 'Compare-KratosIdp ./idps.yml -ConfigPath /etc/kratos/kratos.yml -Secret @{ google = $googleSecret }'
                    Remarks = 'One line per difference; nothing when the file already holds the desired IdPs.'
                }
                @{
                    Title   = 'Check in a pipeline that a Juju model holds exactly the reviewed IdPs'
                    Code    = 'if (Compare-KratosIdp ./idps.yml -Model iam -Prune) { throw ''The model differs from idps.yml.'' }'
                    Remarks = 'With -Prune, IdPs of the model that idps.yml doesn''t name count as differences.'
                }
                @{
                    Title   = 'Compare two targets: are the IdPs of staging those of production?'
                    Code    = 'Get-KratosIdp -ConfigPath ./prod/kratos.yml | Compare-KratosIdp -ConfigPath ./staging/kratos.yml -Prune'
                    Remarks = 'The secrets of the production file are compared inside ExternalIdp; only (differs) is shown.'
                }
            )
        }

        'Sync-KratosIdp' = @{
            Synopsis    = 'Makes a target hold the desired external identity providers, changing only what differs.'
            Description = @(
                'Sync-KratosIdp applies the plan Compare-KratosIdp shows: it adds the IdPs the target lacks, sets on existing ones just the settings that differ (never a remove and add, so provider ids and users'' links stay), and with -Prune removes the IdPs the desired state doesn''t name. Settings the desired state doesn''t mention are left as they are. It asks ShouldProcess once per IdP with the planned changes in the text (never a secret), so -WhatIf prints the plan. A second identical Sync changes nothing and writes nothing.'
                'Every desired IdP is checked first, as Add-KratosIdp and Set-KratosIdpProvider check theirs, before the first change: one the target can''t hold (pkce, a kind the charm doesn''t support or a Kratos key on Juju, a key or kind the Kratos release doesn''t accept, a secret that is needed but not given) is a non-terminating error for that IdP, and the others go on. On a config file every change is planned on one read of the file and written at once: the file is locked, found to hold still what was read, and written once, whatever the number of changes; a Sync with nothing to do neither locks nor writes. On Juju a Sync with nothing to do costs the two juju calls of Get-KratosIdp; changes are made by the steps of Remove-KratosIdp, Set-KratosIdpProvider and Add-KratosIdp.'
                'Secrets come from -Secret or -Vault, by the names the desired state gives them, or with KratosIdp objects piped from another target: Get-KratosIdp -ConfigPath old.yml | Sync-KratosIdp -Model iam moves IdPs with their provider ids and secrets, read again from their source inside ExternalIdp, so no secret reaches the pipeline, a variable or a file. On Juju a desired name that is not a valid application name gives one derived from it (google_oauth: google-oauth-idp), and an integrator related to kratos with the same provider id is found under whatever name it has.'
                'ConfirmImpact is Medium: runbooks never prompt at the default $ConfirmPreference.'
            )
            Parameters  = @{
                Path              = 'A desired-state file (YAML, or JSON when the name ends in .json): version: 1 and idps: as a mapping of IdP name to settings. See Export-KratosIdp.'
                InputObject       = 'The desired state from the pipeline: KratosIdp objects (from Get-KratosIdp on any target: their secrets are read again from their source inside ExternalIdp, never through the pipeline), or hashtables / objects with Name and settings (Provider, ClientId, Label, Scope, TenantId, ... or client_id, ...; a secret as the name of a secret, or a SecureString).'
                Secret            = 'The secrets the desired state names: a hashtable of secret name to SecureString or PSCredential (its password), for example @{ google = $googleSecret; entra = (Get-AutomationPSCredential -Name entra-kratos) }.'
                Vault             = 'A SecretManagement vault to read the secrets the desired state names from (Get-Secret -Name <name> -Vault <vault>). Needs the Microsoft.PowerShell.SecretManagement module (KratosSecretManagementNotFound without it); a secret the vault lacks is an error for the IdP that needs it.'
                Prune             = 'Also removes the IdPs of the target that the desired state doesn''t name. Without it they are left alone.'
                PassThru          = 'Writes each desired IdP as it is after the Sync (KratosIdp). By default Sync-KratosIdp writes nothing.'
                RemoveApplication = 'Juju only: -Prune removes the kratos-external-idp-integrator applications too (default: only their relation to kratos, as Remove-KratosIdp does).'
                KratosVersion     = 'The Kratos release to check keys and kinds against (for example 26.2), instead of the config file''s version: key. On Juju nothing is checked without it.'
                ConfigPath        = 'The Kratos config file to change. Never taken from piped objects (they are the desired state). Without -ConfigPath the target is a Juju model.'
                ConfigRoot        = 'Dotted path of the Kratos configuration inside a bigger YAML file (kratos.config for the Ory Helm chart''s values.yaml). Only with -ConfigPath; never taken from piped objects.'
                Model             = 'The Juju model to change, as [controller:]model. Default: the current model. Never taken from piped objects.'
                KratosApplication = 'The kratos application in the Juju model. Default: kratos. Never taken from piped objects.'
            }
            Examples    = @(
                @{
                    Title   = 'Apply a reviewed desired-state file to a config file, secrets from a vault'
                    Code    = 'Sync-KratosIdp ./idps.yml -ConfigPath /etc/kratos/kratos.yml -Vault kratos -Prune'
                    Remarks = 'Adds, changes and (with -Prune) removes IdPs so that the file holds exactly idps.yml; one write.'
                }
                @{
                    Title   = 'See the plan first'
                    Code    = 'Sync-KratosIdp ./idps.yml -Model iam -Secret @{ google = $googleSecret; entra = $entraCredential } -WhatIf'
                    Remarks = 'One "What if" line per IdP with the settings it would change.'
                }
                @{
                    Title   = 'Move the IdPs of a self-hosted Kratos to the Canonical Identity Platform'
                    Code    = 'Get-KratosIdp -ConfigPath ./old/kratos.yml | Sync-KratosIdp -Model iam -PassThru'
                    Remarks = 'Same provider ids, so users'' links keep working; the secrets are carried inside ExternalIdp. An IdP Juju can''t hold is an error for that IdP before anything changes.'
                }
                @{
                    Title   = 'Desired IdPs from hashtables'
                    Code    = '@{ Name = ''google''; Provider = ''google''; ClientId = ''1234-abc.apps.googleusercontent.com''; ClientSecret = ''google'' } | Sync-KratosIdp -ConfigPath ./kratos.yml -Secret @{ google = $googleSecret }'
                    Remarks = 'ClientSecret names the secret that -Secret gives.'
                }
            )
        }

        'Get-KratosPublicUrl' = @{
            Synopsis    = 'Gets the public base URL of Ory Kratos.'
            Description = @(
                'On a config file it is serve.public.base_url. On Juju it is read from traefik: the public-route relation data of kratos 2.x, or the show-proxied-endpoints action of traefik for kratos 1.x. The public URL is the base of every redirect URI.'
                'With -PublicUrl, that URL is the answer on either target (Source is parameter) and the target is not read: it must be an absolute http or https URL without query or fragment (KratosIdpInvalidConfiguration otherwise), and is reported without a trailing slash.'
            )
            Parameters  = @{
                PublicUrl = 'A public base URL to report instead of asking the target: an absolute http(s) URL, e.g. https://auth.example.com or https://example.com/kratos. Reported without its trailing slash, with Source parameter.'
            }
            Examples    = @(
                @{
                    Title   = 'The public URL of a config file'
                    Code    = 'Get-KratosPublicUrl -ConfigPath ./kratos.yml'
                    Remarks = ''
                }
                @{
                    Title   = 'The public URL of kratos in a Juju model'
                    Code    = 'Get-KratosPublicUrl -Model iam'
                    Remarks = ''
                }
            )
        }
    }
}
