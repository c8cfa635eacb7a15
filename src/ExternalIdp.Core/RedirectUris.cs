using System;

namespace ExternalIdp.Core
{
    /// <summary>The callback URI Kratos expects the IdP to redirect to.</summary>
    public static class RedirectUris
    {
        public const string CallbackPath = "/self-service/methods/oidc/callback";

        /// <summary>
        /// A public base URL given as a parameter (-PublicUrl): checked to be an absolute http(s) URL with
        /// a host and without query or fragment, returned without surrounding white space or a trailing
        /// slash. Null for null or empty.
        /// </summary>
        public static string GivenPublicUrl(string value)
        {
            if (string.IsNullOrEmpty(value)) return null;
            var url = value.Trim();
            var problem = IdpRules.HttpUrlProblem(url, "PublicUrl",
                "the URL at which browsers reach Kratos's public API, e.g. https://auth.example.com or https://example.com/kratos", "the bare base URL");
            if (problem != null)
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument, problem, value);
            return url.TrimEnd('/');
        }

        /// <summary>
        /// &lt;base&gt;/self-service/methods/oidc/callback/&lt;id&gt;, joined as strings so a base with a
        /// path prefix keeps it. pkce force: no id. organization: .../organization/&lt;org&gt;/callback/&lt;id&gt;.
        /// </summary>
        public static string Build(string baseUrl, string providerId, string pkce = null, string organizationId = null)
        {
            if (string.IsNullOrWhiteSpace(baseUrl))
                throw new ExternalIdpException(ErrorIds.RedirectUriUnavailable, ErrorKind.ObjectNotFound,
                    "No public base URL is known, so the redirect URI can't be computed. Set serve.public.base_url (or selfservice.methods.oidc.config.base_redirect_uri) in the Kratos config, or pass -PublicUrl.");
            var b = baseUrl.Trim().TrimEnd('/');
            if (string.Equals(pkce, "force", StringComparison.Ordinal))
                return b + CallbackPath;
            if (!string.IsNullOrEmpty(organizationId))
                return b + "/self-service/methods/oidc/organization/" + Uri.EscapeDataString(organizationId) + "/callback/" + Uri.EscapeDataString(providerId);
            return b + CallbackPath + "/" + Uri.EscapeDataString(providerId);
        }
    }
}
