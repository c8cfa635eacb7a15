using System;
using System.Collections.Generic;

namespace ExternalIdp
{
    /// <summary>
    /// One external identity provider as ExternalIdp reports it. Never holds a secret:
    /// HasClientSecret / HasApplePrivateKey only say whether one is set.
    /// Carries its target (ConfigPath/ConfigRoot or Model/KratosApplication) so that
    /// piping it to another cmdlet needs no second target parameter.
    /// </summary>
    public sealed class KratosIdp
    {
        /// <summary>On a config file: the provider id. On Juju: the integrator application's name.</summary>
        public string Name { get; set; }
        public string ProviderId { get; set; }
        public string Provider { get; set; }
        public string ClientId { get; set; }
        public string Label { get; set; }
        public string[] Scope { get; set; } = new string[0];
        public string IssuerUrl { get; set; }
        public string TenantId { get; set; }
        public string AppleTeamId { get; set; }
        public string ApplePrivateKeyId { get; set; }
        public string MapperUrl { get; set; }
        public string SubjectSource { get; set; }
        public string ClaimsSource { get; set; }
        public string Pkce { get; set; }
        public string AuthUrl { get; set; }
        public string TokenUrl { get; set; }
        /// <summary>The OpenID Connect claims request (requested_claims), as compact JSON.</summary>
        public string RequestedClaims { get; set; }
        public string OrganizationId { get; set; }
        public string[] AdditionalIdTokenAudiences { get; set; } = new string[0];
        public string AccountLinkingMode { get; set; }
        public bool Enabled { get; set; }
        public bool HasClientSecret { get; set; }
        public bool HasApplePrivateKey { get; set; }

        /// <summary>
        /// The settings Kratos accepts that have no property above (fedcm_config_url, net_id_token_origin_header), by
        /// Kratos key, as the target holds them; never a secret.
        /// </summary>
        public IDictionary<string, object> OtherSettings { get; set; } = new Dictionary<string, object>(StringComparer.Ordinal);

        /// <summary>The callback URI to register at the IdP, when known.</summary>
        public string RedirectUri { get; set; }

        /// <summary>Where RedirectUri came from: Action (juju get-redirect-uri), Computed, or null.</summary>
        public string RedirectUriSource { get; set; }

        /// <summary>Config file: Valid / Invalid. Juju: the integrator's workload status (active, blocked, ...).</summary>
        public string Status { get; set; }
        public string StatusMessage { get; set; }

        /// <summary>What Kratos would reject in this entry (empty when none), for the release in KratosVersion.</summary>
        public string[] Problems { get; set; } = new string[0];

        /// <summary>
        /// The Kratos release the entry was checked against (v1.1.0): -KratosVersion, the config file's
        /// version: key, the kratos application's workload version on Juju, or the newest release
        /// ExternalIdp knows. Null when nothing was checked against one (a Juju change whose settings every
        /// release accepts).
        /// </summary>
        public string KratosVersion { get; set; }

        /// <summary>Where KratosVersion comes from ("-KratosVersion", "the config file's version: key", ...).</summary>
        public string KratosVersionSource { get; set; }

        /// <summary>ConfigFile or Juju.</summary>
        public string TargetType { get; set; }
        public string ConfigPath { get; set; }
        public string ConfigRoot { get; set; }
        public string Model { get; set; }
        public string KratosApplication { get; set; }

        /// <summary>Juju: whether the integrator is related to the kratos application.</summary>
        public bool? Related { get; set; }

        public override string ToString() => Name ?? ProviderId ?? string.Empty;
    }

    /// <summary>Result of Get-KratosRedirectUri.</summary>
    public sealed class KratosRedirectUri
    {
        public string Name { get; set; }
        public string ProviderId { get; set; }
        public string RedirectUri { get; set; }
        /// <summary>Action (asked the integrator charm) or Computed (from the public/base URL and the provider id).</summary>
        public string Source { get; set; }
        /// <summary>Why the action could not answer, when Source is Computed on Juju.</summary>
        public string Reason { get; set; }
        public string TargetType { get; set; }
        public string ConfigPath { get; set; }
        public string ConfigRoot { get; set; }
        public string Model { get; set; }
        public string KratosApplication { get; set; }
        public override string ToString() => RedirectUri ?? string.Empty;
    }

    /// <summary>Result of Get-KratosPublicUrl.</summary>
    public sealed class KratosPublicUrl
    {
        public string PublicUrl { get; set; }
        /// <summary>Where it came from: serve.public.base_url, base_redirect_uri, traefik-route, show-proxied-endpoints, parameter.</summary>
        public string Source { get; set; }
        public string TargetType { get; set; }
        public string ConfigPath { get; set; }
        public string ConfigRoot { get; set; }
        public string Model { get; set; }
        public string KratosApplication { get; set; }
        public override string ToString() => PublicUrl ?? string.Empty;
    }
}
