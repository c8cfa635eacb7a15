using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core
{
    /// <summary>How the integrator charm derives a provider id when provider_id is unset.</summary>
    public enum ProviderIdSeed
    {
        /// <summary>&lt;client_id&gt;</summary>
        ClientId,
        /// <summary>&lt;client_id&gt;_&lt;issuer_url&gt; (generic, auth0)</summary>
        ClientIdAndIssuer,
        /// <summary>&lt;client_id&gt;_&lt;tenant&gt; (microsoft)</summary>
        ClientIdAndTenant,
    }

    /// <summary>The Kratos keys of provider settings, with the PowerShell parameter that sets each.</summary>
    public static class Fields
    {
        public const string Id = "id";
        public const string Provider = "provider";
        public const string ClientId = "client_id";
        public const string ClientSecret = "client_secret";
        public const string IssuerUrl = "issuer_url";
        public const string MicrosoftTenant = "microsoft_tenant";
        public const string AppleTeamId = "apple_team_id";
        public const string ApplePrivateKeyId = "apple_private_key_id";
        public const string ApplePrivateKey = "apple_private_key";
        public const string Label = "label";
        public const string Scope = "scope";
        public const string MapperUrl = "mapper_url";
        public const string SubjectSource = "subject_source";
        public const string ClaimsSource = "claims_source";
        public const string Pkce = "pkce";
        public const string OrganizationId = "organization_id";

        /// <summary>Kratos key → PowerShell parameter name (without the dash).</summary>
        public static readonly IReadOnlyDictionary<string, string> ParameterOf = new Dictionary<string, string>
        {
            [Id] = "ProviderId",
            [Provider] = "Provider",
            [ClientId] = "ClientId",
            [ClientSecret] = "ClientSecret",
            [IssuerUrl] = "IssuerUrl",
            [MicrosoftTenant] = "TenantId",
            [AppleTeamId] = "AppleTeamId",
            [ApplePrivateKeyId] = "ApplePrivateKeyId",
            [ApplePrivateKey] = "ApplePrivateKey",
            [Label] = "Label",
            [Scope] = "Scope",
            [MapperUrl] = "MapperUrl",
            [SubjectSource] = "SubjectSource",
            [ClaimsSource] = "ClaimsSource",
            [Pkce] = "Pkce",
        };

        /// <summary>Keys whose values are secrets: never shown, never on a command line.</summary>
        public static readonly IReadOnlyCollection<string> Secrets = new[] { ClientSecret, ApplePrivateKey };

        /// <summary>Keys Kratos requires in every provider entry.</summary>
        public static readonly IReadOnlyList<string> Required = new[] { Id, Provider, ClientId, MapperUrl };

        /// <summary>Every key Kratos accepts in a provider entry (schema, additionalProperties: false).</summary>
        public static readonly IReadOnlyCollection<string> KratosKeys = new HashSet<string>(StringComparer.Ordinal)
        {
            "id", "provider", "label", "client_id", "client_secret", "issuer_url", "auth_url", "token_url",
            "mapper_url", "scope", "microsoft_tenant", "subject_source", "apple_team_id", "apple_private_key_id",
            "apple_private_key", "requested_claims", "organization_id", "additional_id_token_audiences",
            "claims_source", "pkce", "fedcm_config_url", "net_id_token_origin_header", "account_linking_mode",
        };

        public static readonly IReadOnlyCollection<string> SubjectSources = new[] { "userinfo", "me", "oid" };
        public static readonly IReadOnlyCollection<string> ClaimsSources = new[] { "id_token", "userinfo" };
        public static readonly IReadOnlyCollection<string> PkceModes = new[] { "auto", "never", "force" };
        public static readonly IReadOnlyCollection<string> WellKnownTenants = new[] { "common", "organizations", "consumers" };
    }

    /// <summary>Everything ExternalIdp knows about one Kratos provider kind.</summary>
    public sealed class ProviderKind
    {
        internal ProviderKind(string name, string displayName, string[] defaultScope, string[] required,
            string[] optional, ProviderIdSeed seed, bool charmSupported, string charmReason)
        {
            Name = name;
            DisplayName = displayName;
            DefaultScope = defaultScope;
            RequiredFields = required;
            OptionalFields = optional;
            IdSeed = seed;
            CharmSupported = charmSupported;
            CharmUnsupportedReason = charmReason;
        }

        /// <summary>The value of Kratos's `provider` key.</summary>
        public string Name { get; }
        /// <summary>Default button label.</summary>
        public string DisplayName { get; }
        /// <summary>Scope written to a config file when -Scope is not given (empty: no scope key).</summary>
        public IReadOnlyList<string> DefaultScope { get; }
        /// <summary>Kind-specific keys that must be present besides id, provider, client_id, mapper_url.</summary>
        public IReadOnlyList<string> RequiredFields { get; }
        /// <summary>Kind-specific keys that may be present (not required).</summary>
        public IReadOnlyList<string> OptionalFields { get; }
        public ProviderIdSeed IdSeed { get; }
        /// <summary>Whether kratos-external-idp-integrator can configure it end to end.</summary>
        public bool CharmSupported { get; }
        public string CharmUnsupportedReason { get; }

        /// <summary>Where Kratos reads this kind's OpenID Connect discovery document, or null when it reads none (OAuth2 APIs such as GitHub's).</summary>
        public OidcDiscovery Discovery { get; internal set; }

        public bool IsApple => Name == "apple";
        public bool IsMicrosoft => Name == "microsoft";

        /// <summary>Whether the kind takes this kind-specific key at all (required or optional).</summary>
        public bool Takes(string field) => RequiredFields.Contains(field) || OptionalFields.Contains(field);

        public override string ToString() => Name;
    }

    /// <summary>
    /// The single source of provider facts: the kinds of Kratos v26 (the schema's enum), what
    /// each requires and refuses, default scope and label, and whether the integrator charm
    /// accepts it. Validation, completers and help read from here.
    /// </summary>
    public static class ProviderCatalog
    {
        /// <summary>Kind-specific keys that some kinds take and others refuse.</summary>
        public static readonly IReadOnlyList<string> KindSpecificFields = new[]
        {
            Fields.ClientSecret, Fields.IssuerUrl, Fields.MicrosoftTenant, Fields.AppleTeamId,
            Fields.ApplePrivateKeyId, Fields.ApplePrivateKey, Fields.SubjectSource,
        };

        private const string NotInCharm = "the kratos-external-idp-integrator charm does not accept provider '{0}' (it accepts: {1}); use a Kratos config file (-ConfigPath) for this provider";

        private static readonly string[] Secret = { Fields.ClientSecret };
        private static readonly string[] None = new string[0];

        private static ProviderKind Plain(string name, string display, string[] scope, bool charm = false)
            => new ProviderKind(name, display, scope, Secret, None, ProviderIdSeed.ClientId, charm, null);

        public static readonly IReadOnlyList<ProviderKind> All = BuildAll();

        private static IReadOnlyList<ProviderKind> BuildAll()
        {
            var list = new List<ProviderKind>
            {
                new ProviderKind("generic", "OpenID Connect", new[] { "email", "profile" },
                    new[] { Fields.ClientSecret, Fields.IssuerUrl }, None, ProviderIdSeed.ClientIdAndIssuer, true, null),
                new ProviderKind("auth0", "Auth0", new[] { "openid", "email", "profile" },
                    new[] { Fields.ClientSecret, Fields.IssuerUrl }, None, ProviderIdSeed.ClientIdAndIssuer, true, null),
                Plain("google", "Google", new[] { "email", "profile" }, true),
                new ProviderKind("microsoft", "Microsoft", new[] { "openid", "email", "profile" },
                    new[] { Fields.ClientSecret, Fields.MicrosoftTenant }, new[] { Fields.SubjectSource },
                    ProviderIdSeed.ClientIdAndTenant, true, null),
                Plain("github", "GitHub", new[] { "user:email" }, true),
                Plain("github-app", "GitHub", None),
                new ProviderKind("gitlab", "GitLab", new[] { "read_user", "openid", "profile", "email" },
                    Secret, new[] { Fields.IssuerUrl }, ProviderIdSeed.ClientId, true, null),
                new ProviderKind("apple", "Apple", new[] { "email", "name" },
                    new[] { Fields.AppleTeamId, Fields.ApplePrivateKeyId, Fields.ApplePrivateKey }, None,
                    ProviderIdSeed.ClientId, true, null),
                Plain("facebook", "Facebook", new[] { "email", "public_profile" }, true),
                Plain("discord", "Discord", new[] { "identify", "email" }, true),
                Plain("slack", "Slack", new[] { "openid", "email", "profile" }, true),
                Plain("spotify", "Spotify", new[] { "user-read-email", "user-read-private" }, true),
                Plain("netid", "netID", new[] { "openid", "email", "profile" }, true),
                Plain("vk", "VK", new[] { "email" }, true),
                Plain("dingtalk", "DingTalk", new[] { "openid" }, true),
                Plain("salesforce", "Salesforce", new[] { "openid", "email", "profile" }),
                Plain("yandex", "Yandex", new[] { "login:email", "login:info" }),
                Plain("patreon", "Patreon", new[] { "identity", "identity[email]" }),
                Plain("line", "LINE", new[] { "openid", "profile", "email" }),
                Plain("linkedin", "LinkedIn", new[] { "openid", "profile", "email" }),
                Plain("linkedin_v2", "LinkedIn", new[] { "openid", "profile", "email" }),
                Plain("lark", "Lark", None),
                Plain("x", "X", None),
                Plain("fedcm-test", "FedCM test", None),
                Plain("amazon", "Amazon", new[] { "profile" }),
                Plain("uaepass", "UAE PASS", new[] { "urn:uae:digitalid:profile:general" }),
            };
            foreach (var k in list) k.Discovery = DiscoveryOf(k.Name);
            return list;
        }

        /// <summary>
        /// Where a kind's sign-in reads an OpenID Connect discovery document (ory/kratos
        /// selfservice/strategy/oidc/provider_*.go at v26.2.0); null for the kinds that sign in
        /// through their OAuth2 API.
        /// </summary>
        private static OidcDiscovery DiscoveryOf(string kind)
        {
            switch (kind)
            {
                case "generic": return OidcDiscovery.IssuerUrl();
                case "google": return OidcDiscovery.Fixed("https://accounts.google.com");
                case "apple": return OidcDiscovery.Fixed("https://appleid.apple.com");
                case "netid": return OidcDiscovery.Fixed("https://broker.netid.de/");
                case "line": return OidcDiscovery.Fixed("https://access.line.me");
                case "linkedin_v2": return OidcDiscovery.Fixed("https://www.linkedin.com/oauth");
                case "microsoft": return OidcDiscovery.Microsoft();
                case "auth0": return OidcDiscovery.EndpointBase();
                case "gitlab": return OidcDiscovery.EndpointBase("https://gitlab.com");
                case "salesforce": return OidcDiscovery.EndpointBase();
                default: return null;
            }
        }

        private static readonly Dictionary<string, ProviderKind> ByName =
            All.ToDictionary(k => k.Name, StringComparer.OrdinalIgnoreCase);

        /// <summary>The kinds the integrator charm can configure end to end.</summary>
        public static IEnumerable<ProviderKind> CharmKinds => All.Where(k => k.CharmSupported);

        public static IEnumerable<string> Names => All.Select(k => k.Name);

        public static bool TryGet(string name, out ProviderKind kind)
        {
            kind = null;
            return name != null && ByName.TryGetValue(name.Trim(), out kind);
        }

        /// <summary>The kind named exactly so, as Kratos reads a provider value (no trimming, no other spelling).</summary>
        public static bool TryGetExact(string name, out ProviderKind kind)
        {
            if (TryGet(name, out kind) && kind.Name == name) return true;
            kind = null;
            return false;
        }

        /// <summary>Nicknames people type for a kind Kratos calls otherwise.</summary>
        private static readonly Dictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["azure"] = "microsoft", ["azuread"] = "microsoft", ["azure-ad"] = "microsoft", ["aad"] = "microsoft",
            ["entra"] = "microsoft", ["entraid"] = "microsoft", ["entra-id"] = "microsoft", ["office365"] = "microsoft",
            ["oidc"] = "generic", ["openid"] = "generic", ["keycloak"] = "generic", ["okta"] = "generic",
            ["authentik"] = "generic", ["zitadel"] = "generic", ["dex"] = "generic", ["hydra"] = "generic",
            ["twitter"] = "x", ["linkedin-v2"] = "linkedin_v2", ["githubapp"] = "github-app",
        };

        /// <summary>The kind, or KratosIdpUnknownProvider naming the valid ones and a suggestion.</summary>
        public static ProviderKind Resolve(string name)
        {
            if (TryGet(name, out var kind)) return kind;
            string hint = "";
            if (name != null && Aliases.TryGetValue(name.Trim(), out var alias))
                hint = alias == "generic"
                    ? $" For '{name}' use -Provider generic with -IssuerUrl set to its OpenID Connect issuer."
                    : $" Did you mean '{alias}'?";
            throw new ExternalIdpException(ErrorIds.UnknownProvider, ErrorKind.InvalidArgument,
                $"Unknown provider kind '{name}'.{hint} Valid kinds: {string.Join(", ", Names)}.", name);
        }

        /// <summary>The charm's validator list (for messages).</summary>
        public static string CharmKindList => string.Join(", ", CharmKinds.Select(k => k.Name));

        /// <summary>The scope the integrator charm sends when its scope option is unset: user:email for github, else profile email address phone.</summary>
        public static IReadOnlyList<string> CharmDefaultScope(ProviderKind kind)
            => kind.Name == "github" ? new[] { "user:email" } : new[] { "profile", "email", "address", "phone" };

        /// <summary>Why the integrator charm can't do this kind, or null when it can.</summary>
        public static string CharmRefusal(ProviderKind kind)
        {
            if (kind.CharmSupported) return null;
            if (kind.Name == "yandex")
                return "the kratos-external-idp-integrator charm rejects 'yandex' (its validator accepts only the misspelling 'yander', which Kratos in turn rejects), so no yandex provider can be configured through the charm; use a Kratos config file (-ConfigPath)";
            return string.Format(NotInCharm, kind.Name, CharmKindList);
        }
    }
}
