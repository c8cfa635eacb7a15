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

    /// <summary>Everything ExternalIdp knows about one Kratos provider kind.</summary>
    public sealed class ProviderKind
    {
        internal ProviderKind(string name, string displayName, string[] defaultScope, Field[] required,
            Field[] optional, ProviderIdSeed seed, bool charmSupported, string firstRelease = null)
        {
            Name = name;
            DisplayName = displayName;
            DefaultScope = defaultScope;
            RequiredFields = required;
            OptionalFields = optional;
            IdSeed = seed;
            CharmSupported = charmSupported;
            FirstRelease = firstRelease;
        }

        /// <summary>The value of Kratos's `provider` key.</summary>
        public string Name { get; }
        /// <summary>Default button label.</summary>
        public string DisplayName { get; }
        /// <summary>Scope written to a config file when -Scope is not given (empty: no scope key).</summary>
        public IReadOnlyList<string> DefaultScope { get; }
        /// <summary>Kind-specific settings that must be present besides id, provider, client_id, mapper_url.</summary>
        public IReadOnlyList<Field> RequiredFields { get; }
        /// <summary>Kind-specific settings that may be present (not required).</summary>
        public IReadOnlyList<Field> OptionalFields { get; }
        public ProviderIdSeed IdSeed { get; }
        /// <summary>Whether kratos-external-idp-integrator can configure it end to end.</summary>
        public bool CharmSupported { get; }

        /// <summary>The first Kratos release that accepts this kind; null: as old as every release ExternalIdp knows.</summary>
        public string FirstRelease { get; }

        /// <summary>Where Kratos reads this kind's OpenID Connect discovery document, or null when it reads none (OAuth2 APIs such as GitHub's).</summary>
        public OidcDiscovery Discovery { get; internal set; }

        public bool IsApple => Name == "apple";
        public bool IsMicrosoft => Name == "microsoft";

        /// <summary>Whether the kind takes this kind-specific setting at all (required or optional).</summary>
        public bool Takes(Field field) => RequiredFields.Contains(field) || OptionalFields.Contains(field);

        public override string ToString() => Name;
    }

    /// <summary>
    /// The single source of provider facts: the kinds of Kratos v26 (the schema's enum), what
    /// each requires and refuses, default scope and label, and whether the integrator charm
    /// accepts it. Validation, completers and help read from here.
    /// </summary>
    public static class ProviderCatalog
    {
        /// <summary>Kind-specific settings that some kinds take and others refuse.</summary>
        public static readonly IReadOnlyList<Field> KindSpecificFields = new[]
        {
            FieldTable.ClientSecret, FieldTable.IssuerUrl, FieldTable.MicrosoftTenant, FieldTable.AppleTeamId,
            FieldTable.ApplePrivateKeyId, FieldTable.ApplePrivateKey, FieldTable.SubjectSource,
        };

        private static readonly Field[] Secret = { FieldTable.ClientSecret };
        private static readonly Field[] NoFields = new Field[0];
        private static readonly string[] None = new string[0];

        private static ProviderKind Plain(string name, string display, string[] scope, bool charm = false, string since = null)
            => new ProviderKind(name, display, scope, Secret, NoFields, ProviderIdSeed.ClientId, charm, since);

        public static readonly IReadOnlyList<ProviderKind> All = BuildAll();

        private static IReadOnlyList<ProviderKind> BuildAll()
        {
            var list = new List<ProviderKind>
            {
                new ProviderKind("generic", "OpenID Connect", new[] { "email", "profile" },
                    new[] { FieldTable.ClientSecret, FieldTable.IssuerUrl }, NoFields, ProviderIdSeed.ClientIdAndIssuer, true),
                new ProviderKind("auth0", "Auth0", new[] { "openid", "email", "profile" },
                    new[] { FieldTable.ClientSecret, FieldTable.IssuerUrl }, NoFields, ProviderIdSeed.ClientIdAndIssuer, true),
                Plain("google", "Google", new[] { "email", "profile" }, true),
                new ProviderKind("microsoft", "Microsoft", new[] { "openid", "email", "profile" },
                    new[] { FieldTable.ClientSecret, FieldTable.MicrosoftTenant }, new[] { FieldTable.SubjectSource },
                    ProviderIdSeed.ClientIdAndTenant, true),
                Plain("github", "GitHub", new[] { "user:email" }, true),
                Plain("github-app", "GitHub", None),
                new ProviderKind("gitlab", "GitLab", new[] { "read_user", "openid", "profile", "email" },
                    Secret, new[] { FieldTable.IssuerUrl }, ProviderIdSeed.ClientId, true),
                new ProviderKind("apple", "Apple", new[] { "email", "name" },
                    new[] { FieldTable.AppleTeamId, FieldTable.ApplePrivateKeyId, FieldTable.ApplePrivateKey }, NoFields,
                    ProviderIdSeed.ClientId, true),
                Plain("facebook", "Facebook", new[] { "email", "public_profile" }, true),
                Plain("discord", "Discord", new[] { "identify", "email" }, true),
                Plain("slack", "Slack", new[] { "openid", "email", "profile" }, true),
                Plain("spotify", "Spotify", new[] { "user-read-email", "user-read-private" }, true),
                Plain("netid", "netID", new[] { "openid", "email", "profile" }, true),
                Plain("vk", "VK", new[] { "email" }, true),
                Plain("dingtalk", "DingTalk", new[] { "openid" }, true, since: "v0.11.1"),
                Plain("salesforce", "Salesforce", new[] { "openid", "email", "profile" }, since: "v1.3.0"),
                Plain("yandex", "Yandex", new[] { "login:email", "login:info" }),
                Plain("patreon", "Patreon", new[] { "identity", "identity[email]" }, since: "v0.13.0"),
                Plain("line", "LINE", new[] { "openid", "profile", "email" }, since: "v25.4.0"),
                Plain("linkedin", "LinkedIn", new[] { "openid", "profile", "email" }, since: "v0.13.0"),
                Plain("linkedin_v2", "LinkedIn", new[] { "openid", "profile", "email" }, since: "v1.2.0"),
                Plain("lark", "Lark", None, since: "v1.0.0"),
                Plain("x", "X", None, since: "v1.2.0"),
                Plain("fedcm-test", "FedCM test", None, since: "v25.4.0"),
                Plain("amazon", "Amazon", new[] { "profile" }, since: "v25.4.0"),
                Plain("uaepass", "UAE PASS", new[] { "urn:uae:digitalid:profile:general" }, since: "v26.2.0"),
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
            Aliases.TryGetValue(name?.Trim() ?? "", out var alias);
            throw new ExternalIdpException(ErrorIds.UnknownProvider, ErrorKind.InvalidArgument, RuleMessages.UnknownKind(name, alias, Names), name);
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
            return kind.Name == "yandex" ? RuleMessages.YandexNotInCharm : RuleMessages.NotInCharm(kind, CharmKindList);
        }
    }
}
