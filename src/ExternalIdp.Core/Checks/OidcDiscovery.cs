namespace ExternalIdp.Core
{
    /// <summary>How Kratos compares the issuer of a discovery document with the one it expects.</summary>
    public enum IssuerComparison
    {
        /// <summary>go-oidc's NewProvider: the document's issuer must equal the issuer URL, string for string; ID tokens are verified with its jwks_uri.</summary>
        Exact,
        /// <summary>Kratos's microsoft provider: the issuer is built from each token's tid (https://login.microsoftonline.com/&lt;tid&gt;/v2.0) and compared exactly then.</summary>
        MicrosoftTenant,
        /// <summary>The issuer URL is only the base of the OAuth2 endpoints (auth0, gitlab, salesforce); only PKCE auto-discovery reads the document and compares its issuer.</summary>
        EndpointBase,
    }

    /// <summary>
    /// Where Kratos finds the OpenID Connect discovery document of a provider kind and how it uses
    /// it (ory/kratos selfservice/strategy/oidc/provider_*.go). Part of the ProviderCatalog.
    /// </summary>
    public sealed class OidcDiscovery
    {
        private OidcDiscovery(string fixedIssuer, string defaultIssuer, bool fromIssuerUrl, IssuerComparison comparison)
        {
            FixedIssuer = fixedIssuer;
            DefaultIssuer = defaultIssuer;
            FromIssuerUrl = fromIssuerUrl;
            Comparison = comparison;
        }

        /// <summary>The issuer Kratos sets for this kind whatever the entry says (google, apple, ...), or null.</summary>
        public string FixedIssuer { get; }

        /// <summary>The issuer Kratos uses when issuer_url is unset (gitlab: https://gitlab.com), or null.</summary>
        public string DefaultIssuer { get; }

        /// <summary>Whether the entry's issuer_url is the issuer.</summary>
        public bool FromIssuerUrl { get; }

        public IssuerComparison Comparison { get; }

        /// <summary>Whether Kratos verifies this kind's ID tokens with the document's keys (and adds the openid scope itself).</summary>
        public bool VerifiesIdTokens => Comparison != IssuerComparison.EndpointBase;

        /// <summary>The origin of Microsoft's issuers: &lt;origin&gt;/&lt;tenant&gt;/v2.0.</summary>
        public const string MicrosoftOrigin = "https://login.microsoftonline.com";

        internal static OidcDiscovery Fixed(string issuer) => new OidcDiscovery(issuer, null, false, IssuerComparison.Exact);
        internal static OidcDiscovery IssuerUrl() => new OidcDiscovery(null, null, true, IssuerComparison.Exact);
        internal static OidcDiscovery EndpointBase(string defaultIssuer = null) => new OidcDiscovery(null, defaultIssuer, true, IssuerComparison.EndpointBase);
        internal static OidcDiscovery Microsoft() => new OidcDiscovery(null, null, false, IssuerComparison.MicrosoftTenant);
    }
}
