using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace ExternalIdp.Core.Checks
{
    public sealed partial class IdpChecker
    {
        /// <summary>The checks that GET the discovery document and key set of the issuer Kratos will use.</summary>
        private sealed partial class Run
        {
            private void SkipOnline(string reason, string url = null, int from = 0)
            {
                foreach (var check in CheckNames.Online.Skip(from)) Skip(check, reason, url);
            }

            public async Task OnlineAsync(CancellationToken cancel)
            {
                if (_kind == null)
                {
                    Skip(CheckNames.Discovery, $"'{Kind}' is not a Kratos provider kind (see Settings), so there is no issuer to check.");
                    return;
                }
                var d = _kind.Discovery;
                if (d == null)
                {
                    Skip(CheckNames.Discovery, $"Kratos signs in with {_kind.DisplayName} ({_kind.Name}) through its OAuth2 API, not OpenID Connect discovery: there is no discovery document to check.");
                    return;
                }
                if (_c._options.Offline)
                {
                    SkipOnline("-Offline: the network was not used.");
                    return;
                }
                var issuer = Issuer(d, out var why);
                if (issuer == null)
                {
                    SkipOnline(why);
                    return;
                }
                // go-oidc: strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration".
                var url = (issuer.EndsWith("/", StringComparison.Ordinal) ? issuer.Substring(0, issuer.Length - 1) : issuer) + "/.well-known/openid-configuration";
                var doc = await _c._fetcher.GetJsonAsync(url, _c._options.TimeoutSec, cancel).ConfigureAwait(false);
                if (!doc.Ok)
                {
                    Fail(CheckNames.Discovery, $"GET {url} {doc.Problem}. {DiscoveryUse(d)} {DiscoveryFix(d)}", url);
                    SkipOnline("The discovery document could not be read (see Discovery).", url, 1);
                    return;
                }
                Pass(CheckNames.Discovery, $"GET {url} answered with a JSON document in {doc.Milliseconds} ms.", url);
                var issuerMatches = CheckIssuer(d, issuer, doc.Json, url);
                CheckResponseType(d, doc.Json, url);
                CheckScopes(d, doc.Json, url);
                CheckPkce(d, issuer, issuerMatches, doc.Json, url);
                await CheckJwksAsync(d, doc.Json, cancel).ConfigureAwait(false);
            }

            private static string DiscoveryUse(OidcDiscovery d)
            {
                switch (d.Comparison)
                {
                    case IssuerComparison.MicrosoftTenant: return "Kratos reads Microsoft's discovery documents at every sign-in and fails with 'Unable to initialize OpenID Connect Provider' when it can't.";
                    case IssuerComparison.EndpointBase: return "Kratos reads it for PKCE auto-discovery and signs in without PKCE when it can't; the same host serves the sign-in endpoints.";
                    default: return "Kratos reads this document at every sign-in and fails with 'Unable to initialize OpenID Connect Provider' when it can't.";
                }
            }

            private string DiscoveryFix(OidcDiscovery d)
            {
                if (d.FromIssuerUrl) return $"Check issuer_url (-IssuerUrl){(d.DefaultIssuer != null ? $" ({d.DefaultIssuer} when unset)" : "")}, and that this host can reach it; Kratos must reach it too, through its proxy if it has one.";
                return "Check that this host can reach it (a proxy needs HTTPS_PROXY / the system proxy settings); Kratos must reach it too.";
            }

            /// <summary>The issuer whose discovery document Kratos reads, or null and why not.</summary>
            private string Issuer(OidcDiscovery d, out string why)
            {
                why = null;
                string issuer;
                if (d.FixedIssuer != null) issuer = _c.Rewrite(d.FixedIssuer);
                else if (d.Comparison == IssuerComparison.MicrosoftTenant)
                {
                    var tenant = _s.Setting(FieldTable.MicrosoftTenant);
                    if (string.IsNullOrEmpty(tenant) || IdpRules.IsPlaceholder(tenant) || !IdpRules.IsValidTenant(tenant))
                    {
                        why = "There is no valid tenant to read Microsoft's discovery document for (see MicrosoftTenant).";
                        return null;
                    }
                    issuer = _c.Rewrite(OidcDiscovery.MicrosoftOrigin) + "/" + tenant + "/v2.0";
                }
                else
                {
                    issuer = _s.Setting(FieldTable.IssuerUrl);
                    if (string.IsNullOrEmpty(issuer)) issuer = _c.Rewrite(d.DefaultIssuer);
                    if (string.IsNullOrEmpty(issuer))
                    {
                        why = $"No issuer_url is set, so there is no discovery document to read (Settings says what {Kind} needs).";
                        return null;
                    }
                    if (IdpRules.IsPlaceholder(issuer))
                    {
                        why = $"issuer_url '{IdpRules.Printable(issuer)}' is a template placeholder (see Settings).";
                        return null;
                    }
                }
                if (!Uri.TryCreate(issuer, UriKind.Absolute, out var u) || (u.Scheme != "https" && u.Scheme != "http"))
                {
                    why = $"The issuer '{IdpRules.Printable(issuer)}' is not an http(s) URL (see Settings).";
                    return null;
                }
                return issuer;
            }

            private static string Str(JObject o, string key) => o[key] is JValue v && v.Type == JTokenType.String ? (string)v : null;

            private static List<string> List(JObject o, string key)
                => o[key] is JArray a ? a.Where(x => x.Type == JTokenType.String).Select(x => (string)x).ToList() : null;

            private static readonly Regex MicrosoftIssuer = new Regex(@"^(?<origin>.+)/(?<tenant>[^/]+)/v2\.0$", RegexOptions.CultureInvariant);

            /// <summary>Checks the document's issuer; true when Kratos's own discovery would accept it.</summary>
            private bool CheckIssuer(OidcDiscovery d, string issuer, JObject doc, string url)
            {
                var found = Str(doc, "issuer");
                if (found == null)
                {
                    Fail(CheckNames.Issuer, $"The discovery document has no 'issuer', so go-oidc refuses it and Kratos can't initialize the provider. The issuer URL is probably not the IdP's issuer: check it (-IssuerUrl).", url);
                    return false;
                }
                switch (d.Comparison)
                {
                    case IssuerComparison.Exact:
                        if (found == issuer)
                        {
                            Pass(CheckNames.Issuer, $"The document's issuer '{found}' equals the issuer URL Kratos uses{(d.FixedIssuer != null ? $" for {_kind.Name}" : "")}, character for character (go-oidc compares them exactly).", url);
                            return true;
                        }
                        if (d.FromIssuerUrl)
                            Fail(CheckNames.Issuer, $"The document's issuer is '{found}', but issuer_url is '{issuer}'. go-oidc compares them character for character, so Kratos fails with 'Unable to initialize OpenID Connect Provider: oidc: issuer did not match'. Set issuer_url to '{found}' (Set-KratosIdpProvider -IssuerUrl '{found}').", url);
                        else
                            Fail(CheckNames.Issuer, $"The document at {url} names issuer '{found}', but Kratos's {_kind.Name} provider expects '{issuer}' exactly, so every sign-in fails. Something other than {_kind.DisplayName} answers for this URL here (a proxy, DNS entry or hosts file): fix that on this host and where Kratos runs.", url);
                        return false;

                    case IssuerComparison.MicrosoftTenant:
                    {
                        var tenant = _s.Setting(FieldTable.MicrosoftTenant);
                        var origin = _c.Rewrite(OidcDiscovery.MicrosoftOrigin);
                        var m = MicrosoftIssuer.Match(found);
                        var named = m.Success && m.Groups["origin"].Value == origin ? m.Groups["tenant"].Value : null;
                        bool template = named == "{tenantid}";
                        bool guid = named != null && Guid.TryParse(named, out _) && named.Length == 36;
                        var tenantIsGuid = Guid.TryParse(tenant, out _) && tenant.Length == 36;
                        if (named == null || !(template || guid))
                        {
                            Fail(CheckNames.Issuer, $"The document's issuer '{found}' is not of the form {origin}/<tenant id>/v2.0. Kratos builds the issuer of each token as {origin}/<tid>/v2.0 and compares it exactly, so sign-in fails. Check -TenantId, and that login.microsoftonline.com answers here (not a proxy).", url);
                            return false;
                        }
                        if (guid && tenantIsGuid && !string.Equals(named, tenant, StringComparison.OrdinalIgnoreCase))
                        {
                            Fail(CheckNames.Issuer, $"The document for tenant {tenant} names tenant {named} in its issuer '{found}'. Kratos compares each token's issuer ({origin}/<tid>/v2.0) with the document of its tid, so this tenant's tokens would not verify. Check -TenantId.", url);
                            return false;
                        }
                        Pass(CheckNames.Issuer, template
                            ? $"The document's issuer is '{found}', the template Microsoft gives for '{tenant}'. Kratos doesn't compare it with the tenant: it builds each token's issuer from the token's tid ({origin}/<tid>/v2.0) and reads that tenant's document, so accounts of any tenant this entry admits verify."
                            : $"The document's issuer '{found}' names tenant {named}{(tenantIsGuid ? "" : $" (what '{tenant}' resolves to)")}. Kratos builds each token's issuer from its tid ({origin}/<tid>/v2.0) and compares it exactly; tokens of this tenant match.", url);
                        return true;
                    }

                    default: // EndpointBase
                        if (found == issuer)
                        {
                            Pass(CheckNames.Issuer, $"The document's issuer '{found}' equals issuer_url. Kratos's {_kind.Name} provider builds its OAuth2 endpoints on it.", url);
                            return true;
                        }
                        var pkce = Pkce();
                        var note = $"Kratos's {_kind.Name} provider builds its OAuth2 endpoints on issuer_url '{issuer}', so sign-in works, but the document's issuer is '{found}'";
                        if (pkce == "auto" && _s.Setting(FieldTable.IssuerUrl) != null)
                            Warn(CheckNames.Issuer, $"{note}: PKCE auto-discovery (pkce: auto, Kratos's default) compares them exactly, fails, and Kratos signs in without PKCE. Set issuer_url to '{found}' (Set-KratosIdpProvider -IssuerUrl '{found}').", url);
                        else
                            Pass(CheckNames.Issuer, $"{note}, which matters only for PKCE auto-discovery, not used here (pkce: {pkce}{(_s.Setting(FieldTable.IssuerUrl) == null ? ", no issuer_url" : "")}).", url);
                        return false;
                }
            }

            private void CheckResponseType(OidcDiscovery d, JObject doc, string url)
            {
                var types = List(doc, "response_types_supported");
                if (types == null)
                {
                    Warn(CheckNames.ResponseType, "The document lists no response_types_supported (OpenID Connect requires it), so it doesn't say whether the authorization code flow Kratos uses works. Check the IdP's documentation.", url);
                    return;
                }
                if (types.Contains("code"))
                {
                    Pass(CheckNames.ResponseType, "The IdP offers the 'code' response type (authorization code flow) that Kratos uses.", url);
                    return;
                }
                Fail(CheckNames.ResponseType, $"The IdP offers only the response types {string.Join(", ", types)}, not 'code', which Kratos uses (authorization code flow): sign-in fails. Enable the authorization code flow for this client at the IdP.", url);
            }

            private string Pkce() => _s.Setting(FieldTable.Pkce) ?? "auto";

            private void CheckScopes(OidcDiscovery d, JObject doc, string url)
            {
                var configured = _s.ListSetting(FieldTable.Scope);
                bool charmDefault = false;
                if ((configured == null || configured.Length == 0) && _juju)
                {
                    configured = ProviderCatalog.CharmDefaultScope(_kind).ToArray();
                    charmDefault = true;
                }
                var requested = (configured ?? new string[0]).ToList();
                bool addsOpenId = d.VerifiesIdTokens && !requested.Contains("openid");
                if (addsOpenId) requested.Add("openid");
                if (requested.Count == 0)
                {
                    Pass(CheckNames.Scopes, "No scope is requested (no scope key); the IdP applies its default scopes.", url);
                    return;
                }
                var supported = List(doc, "scopes_supported");
                var what = $"{string.Join(" ", requested)}{(charmDefault ? " (the integrator charm's default, as its scope option is unset)" : "")}{(addsOpenId ? " (Kratos adds openid)" : "")}";
                if (supported == null)
                {
                    Skip(CheckNames.Scopes, $"The document lists no scopes_supported, so the requested scopes ({what}) can't be compared.", url);
                    return;
                }
                var missing = requested.Where(s => !supported.Contains(s)).ToList();
                if (missing.Count > 0)
                {
                    var them = missing.Count == 1 ? "it" : "them";
                    Warn(CheckNames.Scopes, $"Requested {what}, but the IdP doesn't list {string.Join(", ", missing)} in scopes_supported ({string.Join(" ", supported)}): it may refuse the sign-in (invalid_scope) or ignore {them}. Remove {them} with -Scope, unless the IdP's documentation lists {them}.", url);
                    return;
                }
                Pass(CheckNames.Scopes, $"Every requested scope ({what}) is in the IdP's scopes_supported.", url);
            }

            private void CheckPkce(OidcDiscovery d, string issuer, bool issuerMatches, JObject doc, string url)
            {
                var mode = Pkce();
                var methods = List(doc, "code_challenge_methods_supported");
                bool s256 = methods != null && methods.Contains("S256");
                var setting = _s.Setting(FieldTable.Pkce) == null ? $"pkce unset (Kratos's default: auto{(_juju ? "; the integrator charm has no pkce option" : "")})" : $"pkce: {mode}";
                switch (mode)
                {
                    case "never":
                        Skip(CheckNames.Pkce, "pkce: never: Kratos doesn't use PKCE with this IdP.", url);
                        return;
                    case "force":
                        if (s256) Pass(CheckNames.Pkce, "pkce: force: Kratos always sends an S256 code challenge, and the IdP lists S256 in code_challenge_methods_supported.", url);
                        else if (methods == null) Warn(CheckNames.Pkce, "pkce: force: Kratos always sends an S256 code challenge, but the document has no code_challenge_methods_supported, so it doesn't say the IdP supports PKCE. If sign-in fails at the token exchange, set -Pkce auto.", url);
                        else Fail(CheckNames.Pkce, $"pkce: force: Kratos always sends an S256 code challenge, but the IdP lists only {string.Join(", ", methods)} in code_challenge_methods_supported: the token exchange fails. Set -Pkce auto (or never).", url);
                        return;
                }
                // auto: Kratos reads the document of its configured issuer URL and compares the issuer exactly.
                var pkceIssuer = d.FixedIssuer != null ? issuer : _s.Setting(FieldTable.IssuerUrl);
                if (string.IsNullOrEmpty(pkceIssuer))
                {
                    Pass(CheckNames.Pkce, $"{setting}: Kratos looks for PKCE support at the entry's issuer_url, which this {_kind.Name} entry doesn't set, so it signs in without PKCE.{(s256 ? " The IdP lists S256: set -Pkce force to use PKCE." : "")}", url);
                    return;
                }
                if (!issuerMatches)
                {
                    Pass(CheckNames.Pkce, $"{setting}: Kratos's PKCE discovery compares the document's issuer exactly and fails (see Issuer), so it signs in without PKCE.", url);
                    return;
                }
                Pass(CheckNames.Pkce, s256
                    ? $"{setting}: the IdP lists S256 in code_challenge_methods_supported, so Kratos uses PKCE (S256)."
                    : $"{setting}: the IdP doesn't list S256 in code_challenge_methods_supported, so Kratos signs in without PKCE.", url);
            }

            private async Task CheckJwksAsync(OidcDiscovery d, JObject doc, CancellationToken cancel)
            {
                var bad = d.VerifiesIdTokens ? KratosIdpCheckResult.Fail : KratosIdpCheckResult.Warning;
                var consequence = d.VerifiesIdTokens
                    ? "Kratos verifies ID tokens with these keys, so sign-in fails"
                    : $"Kratos's {_kind.Name} provider doesn't verify ID tokens with them, but the IdP's OpenID Connect setup is broken";
                var jwks = Str(doc, "jwks_uri");
                if (jwks == null || !Uri.TryCreate(jwks, UriKind.Absolute, out var u) || (u.Scheme != "https" && u.Scheme != "http"))
                {
                    Add(CheckNames.Jwks, bad, $"The document has {(jwks == null ? "no jwks_uri" : $"a jwks_uri that is not an http(s) URL ('{IdpRules.Printable(jwks)}')")}: {consequence}. Check the issuer URL.");
                    return;
                }
                var keys = await _c._fetcher.GetJsonAsync(jwks, _c._options.TimeoutSec, cancel).ConfigureAwait(false);
                if (!keys.Ok)
                {
                    Add(CheckNames.Jwks, bad, $"GET {jwks} {keys.Problem}: {consequence}. Check that this host (and Kratos) can reach it.", jwks);
                    return;
                }
                if (!(keys.Json["keys"] is JArray arr))
                {
                    Add(CheckNames.Jwks, bad, $"{jwks} answered with JSON that is not a key set (no 'keys' array): {consequence}. Check jwks_uri at the IdP.", jwks);
                    return;
                }
                var list = arr.OfType<JObject>().ToList();
                if (list.Count == 0)
                {
                    Add(CheckNames.Jwks, bad, $"{jwks} holds an empty key set: {consequence}. The IdP has no signing key published.", jwks);
                    return;
                }
                var kinds = list.Select(k => Str(k, "alg") ?? Str(k, "kty") ?? "?").Distinct();
                Pass(CheckNames.Jwks, $"{jwks} answered with {list.Count} key{(list.Count == 1 ? "" : "s")} ({string.Join(", ", kinds)}) in {keys.Milliseconds} ms.", jwks);
            }
        }
    }
}
