using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace ExternalIdp.Core.Checks
{
    /// <summary>Options of Test-KratosIdp.</summary>
    public sealed class CheckOptions
    {
        /// <summary>Skip the checks that read the network (they are reported as Skipped).</summary>
        public bool Offline { get; set; }

        /// <summary>Seconds each request may take.</summary>
        public int TimeoutSec { get; set; } = 10;

        /// <summary>The Kratos release to check against (-KratosVersion); null: what the target records.</summary>
        public string KratosVersion { get; set; }

        /// <summary>
        /// For tests: origins of the fixed issuers (https://accounts.google.com, ...) mapped to the
        /// origins that answer instead. Never set by the cmdlets.
        /// </summary>
        internal IDictionary<string, string> FixedOrigins { get; set; }

        /// <summary>For tests: the handler the requests go through. Default: HttpClientHandler with the system proxy.</summary>
        internal HttpMessageHandler Handler { get; set; }
    }

    /// <summary>
    /// Runs the checks of Test-KratosIdp on IdPs read by a target (CheckInput). Offline checks read
    /// only the settings (and local files the config names); online checks GET the public discovery
    /// document and key set of the issuer Kratos will use. Nothing is sent but GETs of public
    /// documents, and the target is never changed. CheckAsync may run for several IdPs at once.
    /// </summary>
    public sealed class IdpChecker : IDisposable
    {
        private readonly CheckOptions _options;
        private readonly DocumentFetcher _fetcher;

        public IdpChecker(CheckOptions options)
        {
            _options = options ?? new CheckOptions();
            _fetcher = new DocumentFetcher(_options.Handler);
        }

        public void Dispose() => _fetcher.Dispose();

        /// <summary>The checks of one IdP, in the order of CheckNames.All.</summary>
        public async Task<IReadOnlyList<KratosIdpCheck>> CheckAsync(CheckSubject subject, CheckInput input, CancellationToken cancel)
        {
            var run = new Run(this, subject, input);
            run.Offline();
            await run.OnlineAsync(cancel).ConfigureAwait(false);
            return run.Results.OrderBy(r => Array.IndexOf(CheckNames.All, r.Check)).ToList();
        }

        private string Rewrite(string fixedUrl)
        {
            if (fixedUrl == null || _options.FixedOrigins == null) return fixedUrl;
            foreach (var kv in _options.FixedOrigins)
                if (fixedUrl.StartsWith(kv.Key, StringComparison.Ordinal)) return kv.Value + fixedUrl.Substring(kv.Key.Length);
            return fixedUrl;
        }

        /// <summary>The checks of one IdP.</summary>
        private sealed class Run
        {
            private readonly IdpChecker _c;
            private readonly CheckSubject _s;
            private readonly CheckInput _input;
            private readonly ProviderKind _kind;
            private readonly bool _juju;
            public readonly List<KratosIdpCheck> Results = new List<KratosIdpCheck>();

            public Run(IdpChecker checker, CheckSubject subject, CheckInput input)
            {
                _c = checker;
                _s = subject;
                _input = input;
                ProviderCatalog.TryGetExact(subject.Idp.Provider, out _kind);
                _juju = subject.Idp.TargetType == "Juju";
            }

            private KratosIdp Idp => _s.Idp;
            private string Kind => Idp.Provider ?? "(none)";

            private void Add(string check, KratosIdpCheckResult result, string message, string url = null)
            {
                Results.Add(new KratosIdpCheck
                {
                    IdP = Idp.Name, Name = Idp.Name, Check = check, Result = result, Message = message, Url = url,
                    Provider = Idp.Provider, ProviderId = Idp.ProviderId,
                    TargetType = Idp.TargetType, ConfigPath = Idp.ConfigPath, ConfigRoot = Idp.ConfigRoot,
                    Model = Idp.Model, KratosApplication = Idp.KratosApplication,
                });
            }

            private void Pass(string check, string message, string url = null) => Add(check, KratosIdpCheckResult.Pass, message, url);
            private void Warn(string check, string message, string url = null) => Add(check, KratosIdpCheckResult.Warning, message, url);
            private void Fail(string check, string message, string url = null) => Add(check, KratosIdpCheckResult.Fail, message, url);
            private void Skip(string check, string message, string url = null) => Add(check, KratosIdpCheckResult.Skipped, message, url);

            private string FixHint => _juju
                ? "Fix it with Set-KratosIdpProvider (juju debug-log --include <app> says more)."
                : "Fix it with Set-KratosIdpProvider, or in the file.";

            // ---------------------------------------------------------------- offline

            public void Offline()
            {
                CheckSettings();
                CheckVersion();
                if (_kind != null && _kind.IsMicrosoft) CheckTenant();
                if (_kind != null && _kind.IsApple) CheckAppleKey();
                CheckMapper(out var defaultMapper, out var mapperNote);
                CheckIdentitySchema(defaultMapper, mapperNote);
            }

            private void CheckSettings()
            {
                var problems = _s.Problems.Concat(_s.Blockers).Distinct().ToList();
                if (problems.Count > 0)
                {
                    Fail(CheckNames.Settings, $"Kratos can't use this {Kind} entry: {string.Join("; ", problems)}. {FixHint}");
                    return;
                }
                if (_s.Notes.Count > 0)
                {
                    Warn(CheckNames.Settings, $"The {Kind} entry is complete, but {string.Join("; ", _s.Notes)}.");
                    return;
                }
                var keys = _s.Settings.Keys.Where(k => k != FieldTable.Id.Key && k != FieldTable.Provider.Key).OrderBy(k => k, StringComparer.Ordinal);
                Pass(CheckNames.Settings, $"Complete for provider '{Kind}' (provider id '{Idp.ProviderId}'; set: {string.Join(", ", keys)}).");
            }

            private void CheckVersion()
            {
                string text = _c._options.KratosVersion, source = "-KratosVersion";
                if (string.IsNullOrWhiteSpace(text)) { text = _input.KratosVersion; source = _input.KratosVersionSource; }
                if (string.IsNullOrWhiteSpace(text))
                {
                    Skip(CheckNames.KratosVersion, $"{_input.NoKratosVersionReason ?? "The target records no Kratos version."} Pass -KratosVersion (for example v1.3.0 or 26.2) to check this entry against a release.");
                    return;
                }
                if (!KratosReleases.TryParse(text, out var v))
                {
                    Skip(CheckNames.KratosVersion, $"'{IdpRules.Printable(text)}' ({source}) is not a Kratos release number such as v1.3.0, 1.3 or 26.2, so the entry can't be checked against it. Pass -KratosVersion with the release Kratos runs.");
                    return;
                }
                var name = KratosReleases.Name(v);
                if (KratosReleases.OlderThanKnown(v))
                {
                    Skip(CheckNames.KratosVersion, $"Kratos {name} ({source}) is older than {KratosReleases.Oldest}, the oldest release whose provider keys ExternalIdp knows.");
                    return;
                }
                var rejected = KratosReleases.Rejected(v, _kind?.Name, _s.Settings);
                if (rejected.Count > 0)
                {
                    var them = rejected.Count == 1 ? "it" : "them";
                    Fail(CheckNames.KratosVersion, $"Kratos {name} ({source}) does not accept {string.Join(", ", rejected)}. One key or kind a release doesn't know makes Kratos refuse its whole config: remove {them} (Set-KratosIdpProvider), or upgrade Kratos.");
                    return;
                }
                Pass(CheckNames.KratosVersion, $"Kratos {name} ({source}) accepts provider '{Kind}' and every key of this entry.");
            }

            private void CheckTenant()
            {
                var tenant = _s.Setting(FieldTable.MicrosoftTenant);
                if (string.IsNullOrEmpty(tenant))
                {
                    Fail(CheckNames.MicrosoftTenant, "No tenant is set (microsoft_tenant), so Kratos can't build Microsoft's sign-in URL. Give -TenantId: the tenant's GUID, a verified domain, or common, organizations or consumers.");
                    return;
                }
                if (IdpRules.IsPlaceholder(tenant))
                {
                    Fail(CheckNames.MicrosoftTenant, $"The tenant '{IdpRules.Printable(tenant)}' is a template placeholder that Kratos does not expand. Give -TenantId with the tenant itself.");
                    return;
                }
                switch (tenant)
                {
                    case "common":
                        Pass(CheckNames.MicrosoftTenant, "Tenant 'common': work or school accounts of any tenant and personal Microsoft accounts can sign in (the app registration must allow both).");
                        return;
                    case "organizations":
                        Pass(CheckNames.MicrosoftTenant, "Tenant 'organizations': work or school accounts of any tenant can sign in (a multi-tenant app registration).");
                        return;
                    case "consumers":
                        Pass(CheckNames.MicrosoftTenant, "Tenant 'consumers': only personal Microsoft accounts can sign in.");
                        return;
                }
                if (Guid.TryParse(tenant, out _) && tenant.Length == 36)
                {
                    Pass(CheckNames.MicrosoftTenant, $"Tenant GUID {tenant}: only accounts of that directory can sign in (single tenant).");
                    return;
                }
                if (IdpRules.IsValidTenant(tenant))
                {
                    Pass(CheckNames.MicrosoftTenant, $"Tenant domain '{tenant}': Microsoft resolves it to the tenant's GUID; only accounts of that directory can sign in.");
                    return;
                }
                Fail(CheckNames.MicrosoftTenant, $"'{IdpRules.Printable(tenant)}' is not a Microsoft tenant: Microsoft answers 'tenant not found' and nobody can sign in. Give -TenantId with the Directory (tenant) ID GUID, a verified domain such as contoso.onmicrosoft.com, or common, organizations or consumers.");
            }

            private void CheckAppleKey()
            {
                var problems = new List<string>();
                var team = AppleKey.IdProblem(_s.Setting(FieldTable.AppleTeamId), "team id", "-AppleTeamId");
                if (team != null) problems.Add(team);
                var keyId = AppleKey.IdProblem(_s.Setting(FieldTable.ApplePrivateKeyId), "key id", "-ApplePrivateKeyId");
                if (keyId != null) problems.Add(keyId);
                var key = AppleKey.KeyProblem(_s.Setting(FieldTable.ApplePrivateKey));
                if (key != null) problems.Add(key + (_juju ? "" : " (-ApplePrivateKey)"));
                if (problems.Count > 0)
                {
                    Fail(CheckNames.AppleKey, "Kratos can't make Apple's client secret: " + string.Join(" ", problems.Select(Capitalize)));
                    return;
                }
                Pass(CheckNames.AppleKey, $"Team id {_s.Setting(FieldTable.AppleTeamId)}, key id {_s.Setting(FieldTable.ApplePrivateKeyId)} and a PKCS#8 EC P-256 private key: Kratos can sign its ES256 client secret (the key was read here only, not shown or sent).");
            }

            private static string Capitalize(string s) => string.IsNullOrEmpty(s) ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);

            private void CheckMapper(out bool defaultMapper, out string mapperNote)
            {
                defaultMapper = false;
                mapperNote = null;
                var url = _s.Setting(FieldTable.MapperUrl);
                if (string.IsNullOrEmpty(url))
                {
                    mapperNote = _juju ? "the integrator has no jsonnet_mapper option, so the charm's own mapper is used" : "there is no mapper_url";
                    Skip(CheckNames.Mapper, _juju
                        ? "No jsonnet_mapper option is set: the integrator charm gives Kratos its own default mapper, which is not readable here."
                        : "No mapper_url is set (Settings says what Kratos needs).");
                    return;
                }
                if (IdpRules.IsPlaceholder(url))
                {
                    mapperNote = "the mapper URL is a template";
                    Fail(CheckNames.Mapper, $"mapper_url '{IdpRules.Printable(url)}' is a template placeholder that Kratos does not expand. Give the mapper with -JsonnetMapper or -MapperUrl.");
                    return;
                }
                if (LocalDocuments.IsBase64(url) || LocalDocuments.IsFile(url))
                {
                    var source = LocalDocuments.Read(url, _input.BaseFolder, out var problem, out var where);
                    if (source == null)
                    {
                        mapperNote = "the mapper can't be read";
                        Fail(CheckNames.Mapper, LocalDocuments.IsFile(url)
                            ? $"The mapper can't be read: {problem}. Kratos reads it from there when someone signs in{(LocalDocuments.FilePath(url, null) != LocalDocuments.FilePath(url, _input.BaseFolder) ? " (a relative file:// path is taken from the config file's folder)" : "")}. Create the file, or give the mapper itself with -JsonnetMapper."
                            : $"The mapper can't be read: {problem}. Give the mapper's jsonnet source with -JsonnetMapper (it is encoded for you).", url.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? url : null);
                        return;
                    }
                    if (source.Trim().Length == 0)
                    {
                        mapperNote = "the mapper is empty";
                        Fail(CheckNames.Mapper, $"The mapper ({where}) is empty: Kratos can't map any claims. Give a jsonnet mapper (-JsonnetMapper).");
                        return;
                    }
                    var normalized = source.Replace("\r\n", "\n");
                    defaultMapper = normalized == DefaultMapper.Verified || normalized == DefaultMapper.Microsoft;
                    if (!defaultMapper) mapperNote = $"the mapper ({where}) is your own: which traits it writes is known only by running it";
                    Pass(CheckNames.Mapper, $"The mapper ({where}, {source.Length} characters) can be read{(defaultMapper ? ": it is ExternalIdp's default mapper (email, name.first, name.last)" : "")}.");
                    return;
                }
                if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                {
                    mapperNote = "the mapper is fetched by Kratos from a URL";
                    Skip(CheckNames.Mapper, $"The mapper is at {url}: Kratos fetches it at sign-in; it is not read here.");
                    return;
                }
                mapperNote = "the mapper URL can't be read";
                Fail(CheckNames.Mapper, $"mapper_url '{IdpRules.Printable(url)}' is not a URL Kratos reads mappers from: use base64:// (-JsonnetMapper), file:// or https://.");
            }

            private void CheckIdentitySchema(bool defaultMapper, string mapperNote)
            {
                if (_input.IdentitySchemaUrl == null)
                {
                    Skip(CheckNames.IdentitySchema, _input.NoIdentitySchemaReason ?? "The target names no identity schema.");
                    return;
                }
                var named = $"{_input.IdentitySchemaSource}: {Short(_input.IdentitySchemaUrl)}";
                if (!defaultMapper)
                {
                    Skip(CheckNames.IdentitySchema, $"Not compared with the identity schema ({named}): {mapperNote ?? "the mapper is not ExternalIdp's default mapper"}.");
                    return;
                }
                var text = LocalDocuments.Read(_input.IdentitySchemaUrl, _input.BaseFolder, out var problem, out var where);
                if (text == null)
                {
                    Skip(CheckNames.IdentitySchema, $"The identity schema ({named}) can't be read here: {problem}.");
                    return;
                }
                var (result, message) = IdentitySchemaTraits.Check(text, $"{_input.IdentitySchemaSource}: {Short(where)}");
                Add(CheckNames.IdentitySchema, result, message);
            }

            private static string Short(string s) => s != null && s.Length > 100 ? s.Substring(0, 60) + "..." : s;

            // ---------------------------------------------------------------- online

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
