using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace ExternalIdp.Core
{
    /// <summary>
    /// The rules for provider entries, read from the ProviderCatalog. Entries are dictionaries
    /// keyed by Kratos keys; values are string, string[], SecretValue (a secret on its way in)
    /// or, for entries read from a file, whatever the file holds.
    /// </summary>
    public static class IdpRules
    {
        private static readonly Regex ProviderIdPattern = new Regex(@"^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$", RegexOptions.CultureInvariant);
        private static readonly Regex DomainPattern = new Regex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$", RegexOptions.CultureInvariant);
        private static readonly Regex AppleIdPattern = new Regex(@"^[A-Za-z0-9]{1,64}$", RegexOptions.CultureInvariant);
        private static readonly Regex Placeholder = new Regex(@"\$\{[^}]*\}|\{\{.*?\}\}", RegexOptions.CultureInvariant);

        private static ExternalIdpException Invalid(IEnumerable<string> problems, object target = null)
            => new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                string.Join(" ", problems), target);

        private static string P(string field) => "-" + Fields.ParameterOf[field];

        /// <summary>Whether a value holds a template placeholder (${...} or {{...}}) that Kratos does not expand.</summary>
        internal static bool IsPlaceholder(string value) => value != null && Placeholder.IsMatch(value);

        /// <summary>
        /// Checks each given value on its own (URLs, tenant, enums, id, scope, control characters).
        /// Throws KratosIdpInvalidConfiguration listing every problem with its fix. Never echoes a secret.
        /// allowEmptyProviderId: -ProviderId '' is a valid change on Juju (back to the charm's own id).
        /// </summary>
        public static void ValidateValues(IdpSettings s, bool allowEmptyProviderId = false)
        {
            var problems = new List<string>();
            if (s.ProviderId != null && !(allowEmptyProviderId && s.ProviderId.Length == 0) && !ProviderIdPattern.IsMatch(s.ProviderId))
                problems.Add($"-ProviderId '{s.ProviderId}' is not a valid provider id: it becomes a URL path segment, so use 1-128 letters, digits, '.', '_', '~' or '-', starting with a letter or digit.");
            if (s.ClientId != null)
            {
                if (s.ClientId.Trim().Length == 0) problems.Add("-ClientId is empty: give the OAuth2 client id that the identity provider issued.");
                else if (s.ClientId != s.ClientId.Trim()) problems.Add("-ClientId has leading or trailing white space: remove it (a pasted value often carries it).");
                else if (HasControl(s.ClientId)) problems.Add("-ClientId contains control characters or a line break: give the client id alone.");
            }
            if (s.ClientSecret != null)
            {
                var v = s.ClientSecret.Reveal();
                if (v.Length > 0 && v.Trim().Length == 0) problems.Add("-ClientSecret is only white space: give the client secret the identity provider issued.");
                else if (v != v.Trim()) problems.Add("-ClientSecret has leading or trailing white space: remove it (a pasted value often carries it).");
                else if (HasControl(v)) problems.Add("-ClientSecret contains control characters or a line break: give the secret alone.");
            }
            if (!string.IsNullOrEmpty(s.IssuerUrl)) CheckHttpUrl(s.IssuerUrl, "IssuerUrl", problems);
            if (!string.IsNullOrEmpty(s.TenantId) && !IsValidTenant(s.TenantId))
                problems.Add($"-TenantId '{s.TenantId}' is not an Azure AD / Entra tenant: give the tenant's GUID (Directory (tenant) ID), a verified domain such as contoso.onmicrosoft.com, or one of common, organizations, consumers.");
            if (!string.IsNullOrEmpty(s.AppleTeamId) && !AppleIdPattern.IsMatch(s.AppleTeamId))
                problems.Add($"-AppleTeamId '{s.AppleTeamId}' is not an Apple Developer Team ID: it is the 10-character code (letters and digits) shown in your Apple developer account.");
            if (!string.IsNullOrEmpty(s.ApplePrivateKeyId) && !AppleIdPattern.IsMatch(s.ApplePrivateKeyId))
                problems.Add($"-ApplePrivateKeyId '{s.ApplePrivateKeyId}' is not an Apple key id: it is the 10-character Key ID (letters and digits) of the Sign in with Apple key.");
            if (s.ApplePrivateKey != null && !s.ApplePrivateKey.IsEmpty)
            {
                var pem = s.ApplePrivateKey.Reveal();
                if (pem.IndexOf("-----BEGIN", StringComparison.Ordinal) < 0 || pem.IndexOf("PRIVATE KEY-----", StringComparison.Ordinal) < 0)
                    problems.Add("-ApplePrivateKey is not a PEM private key: give the whole content of the .p8 file Apple issued, from '-----BEGIN PRIVATE KEY-----' to '-----END PRIVATE KEY-----'.");
            }
            if (s.Label != null && HasControl(s.Label))
                problems.Add("-Label contains control characters or a line break: give a one-line button text.");
            if (s.Scope != null)
            {
                foreach (var sc in s.Scope)
                {
                    if (string.IsNullOrWhiteSpace(sc)) problems.Add("-Scope holds an empty scope: remove it.");
                    else if (sc.Any(char.IsWhiteSpace) || HasControl(sc)) problems.Add($"-Scope '{Printable(sc)}' contains white space: give each scope as its own item (-Scope openid, email).");
                }
            }
            if (!string.IsNullOrEmpty(s.MapperUrl)) CheckMapperUrl(s.MapperUrl, problems);
            if (s.MapperUrl != null && s.JsonnetMapper != null)
                problems.Add("-MapperUrl and -JsonnetMapper both give the mapper: use one of them.");
            if (s.JsonnetMapper != null && s.JsonnetMapper.Trim().Length == 0)
                problems.Add("-JsonnetMapper is empty: give jsonnet source or the path of a .jsonnet file.");
            CheckEnum(s.SubjectSource, Fields.SubjectSource, Fields.SubjectSources, problems);
            CheckEnum(s.ClaimsSource, Fields.ClaimsSource, Fields.ClaimsSources, problems);
            CheckEnum(s.Pkce, Fields.Pkce, Fields.PkceModes, problems);
            if (problems.Count > 0) throw Invalid(problems);
        }

        private static void CheckEnum(string value, string field, IReadOnlyCollection<string> allowed, List<string> problems)
        {
            if (string.IsNullOrEmpty(value)) return;
            if (!allowed.Contains(value))
                problems.Add($"{P(field)} '{value}' is not valid: use one of {string.Join(", ", allowed)}.");
        }

        public static bool IsValidTenant(string tenant)
        {
            if (Fields.WellKnownTenants.Contains(tenant)) return true;
            if (Guid.TryParse(tenant, out _) && tenant.Length == 36) return true;
            return DomainPattern.IsMatch(tenant);
        }

        private static void CheckHttpUrl(string value, string parameter, List<string> problems)
        {
            var problem = HttpUrlProblem(value, parameter, "the issuer's full URL, e.g. https://login.example.com/realms/main (its /.well-known/openid-configuration must be reachable by Kratos)", "the bare issuer URL");
            if (problem != null) problems.Add(problem);
        }

        /// <summary>Why value is not an absolute http(s) URL with a host and without query or fragment; null when it is.</summary>
        internal static string HttpUrlProblem(string value, string parameter, string give, string bare)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var u) || (u.Scheme != "https" && u.Scheme != "http") || string.IsNullOrEmpty(u.Host))
                return $"-{parameter} '{Printable(value)}' is not an absolute http(s) URL: give {give}.";
            if (!string.IsNullOrEmpty(u.Query) || !string.IsNullOrEmpty(u.Fragment))
                return $"-{parameter} '{Printable(value)}' carries a query or fragment: give {bare}.";
            return null;
        }

        private static void CheckMapperUrl(string value, List<string> problems)
        {
            if (value.StartsWith("base64://", StringComparison.Ordinal))
            {
                if (DefaultMapper.TryDecode(value) == null)
                    problems.Add("-MapperUrl starts with base64:// but what follows is not base64: encode the jsonnet source, or pass it with -JsonnetMapper.");
                return;
            }
            if (!Uri.TryCreate(value, UriKind.Absolute, out var u) || (u.Scheme != "file" && u.Scheme != "https" && u.Scheme != "http"))
                problems.Add($"-MapperUrl '{Printable(value)}' is not a mapper URL Kratos can read: use file:///path/to/mapper.jsonnet, https://..., or base64://<jsonnet in base64> (or pass the source with -JsonnetMapper).");
        }

        private static bool HasControl(string s) => s.Any(c => char.IsControl(c));

        /// <summary>A value made safe to quote in a message (control characters escaped, long values cut).</summary>
        public static string Printable(string s)
        {
            if (s == null) return "";
            var t = new string(s.Take(120).ToArray());
            t = t.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");
            t = new string(t.Select(c => char.IsControl(c) ? '?' : c).ToArray());
            return s.Length > 120 ? t + "..." : t;
        }

        private static bool Present(IDictionary<string, object> entry, string key)
        {
            if (!entry.TryGetValue(key, out var v) || v == null) return false;
            if (v is string str) return str.Length > 0;
            if (v is SecretValue sv) return !sv.IsEmpty;
            return true;
        }

        /// <summary>
        /// Which kind-specific settings an entry of this kind lacks or must not have, named by
        /// parameter with the fix. Empty when the entry is complete.
        /// </summary>
        public static List<string> KindProblems(ProviderKind kind, IDictionary<string, object> entry)
        {
            var problems = new List<string>();
            foreach (var f in kind.RequiredFields)
            {
                if (Present(entry, f)) continue;
                problems.Add($"Provider '{kind.Name}' requires {P(f)}{RequiredHint(f)}.");
            }
            foreach (var f in ProviderCatalog.KindSpecificFields)
            {
                if (kind.Takes(f) || !Present(entry, f)) continue;
                if (f == Fields.ClientSecret && kind.IsApple)
                    problems.Add("Provider 'apple' takes no -ClientSecret: Kratos makes the client secret from -AppleTeamId, -ApplePrivateKeyId and -ApplePrivateKey. Remove -ClientSecret.");
                else
                    problems.Add($"Provider '{kind.Name}' does not take {P(f)}{TakenBy(f)}. Remove {P(f)}.");
            }
            return problems;
        }

        private static string RequiredHint(string f)
        {
            switch (f)
            {
                case Fields.ClientSecret: return " (the OAuth2 client secret the identity provider issued, as a SecureString or PSCredential)";
                case Fields.IssuerUrl: return " (the OpenID Connect issuer URL, e.g. https://login.example.com/realms/main)";
                case Fields.MicrosoftTenant: return " (the Azure AD / Entra tenant: its GUID, a domain, or common / organizations / consumers)";
                case Fields.AppleTeamId: return " (your Apple Developer Team ID)";
                case Fields.ApplePrivateKeyId: return " (the Key ID of your Sign in with Apple key)";
                case Fields.ApplePrivateKey: return " (the PEM content of the .p8 key file, as a SecureString)";
                default: return "";
            }
        }

        private static string TakenBy(string f)
        {
            var takers = ProviderCatalog.All.Where(k => k.Takes(f)).Select(k => k.Name).ToList();
            return takers.Count == 0 ? "" : $" (only {string.Join(", ", takers)} {(takers.Count == 1 ? "takes" : "take")} it)";
        }

        /// <summary>Throws KratosIdpInvalidConfiguration when the entry lacks or has kind-specific settings it must not.</summary>
        public static void RequireComplete(ProviderKind kind, IDictionary<string, object> entry, object target = null)
        {
            var problems = KindProblems(kind, entry);
            if (problems.Count > 0) throw Invalid(problems, target);
        }

        /// <summary>
        /// The settings the user gave, as (Kratos key, value) in the order Kratos's docs write them;
        /// null where not given. The one place that maps parameters to Kratos keys.
        /// </summary>
        public static IEnumerable<KeyValuePair<string, object>> GivenFields(IdpSettings s)
        {
            KeyValuePair<string, object> F(string k, object v) => new KeyValuePair<string, object>(k, v);
            yield return F(Fields.Id, s.ProviderId);
            yield return F(Fields.Label, s.Label);
            yield return F(Fields.ClientId, s.ClientId);
            yield return F(Fields.ClientSecret, s.ClientSecret);
            yield return F(Fields.IssuerUrl, s.IssuerUrl);
            yield return F(Fields.MicrosoftTenant, s.TenantId);
            yield return F(Fields.SubjectSource, s.SubjectSource);
            yield return F(Fields.AppleTeamId, s.AppleTeamId);
            yield return F(Fields.ApplePrivateKeyId, s.ApplePrivateKeyId);
            yield return F(Fields.ApplePrivateKey, s.ApplePrivateKey);
            yield return F(Fields.Scope, s.Scope);
            yield return F(Fields.MapperUrl, MapperUrlOf(s));
            yield return F(Fields.ClaimsSource, s.ClaimsSource);
            yield return F(Fields.Pkce, s.Pkce);
        }

        private static bool IsEmptyValue(object v) => v is string str ? str.Length == 0 : v is string[] arr && arr.Length == 0;

        /// <summary>
        /// A new entry from the user's settings, in the order Kratos's docs write them, with the
        /// module's defaults for label, scope and mapper. Keys the kind doesn't take are kept so
        /// that RequireComplete can name them.
        /// </summary>
        public static Dictionary<string, object> BuildEntry(ProviderKind kind, string providerId, IdpSettings s, bool applyDefaults = true)
        {
            var e = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [Fields.Id] = providerId,
                [Fields.Provider] = kind.Name,
            };
            foreach (var kv in GivenFields(s))
            {
                var v = kv.Value;
                if (kv.Key == Fields.Id) continue;
                if (v == null && applyDefaults)
                {
                    if (kv.Key == Fields.Label) v = kind.DisplayName;
                    else if (kv.Key == Fields.Scope) v = kind.DefaultScope.ToArray();
                    else if (kv.Key == Fields.MapperUrl) v = DefaultMapper.UrlFor(kind);
                }
                if (v != null && !IsEmptyValue(v)) e[kv.Key] = v;
            }
            if (providerId == null) e.Remove(Fields.Id);
            return e;
        }

        /// <summary>-MapperUrl, or -JsonnetMapper encoded as base64://, or null.</summary>
        public static string MapperUrlOf(IdpSettings s)
            => s.MapperUrl ?? (s.JsonnetMapper != null ? DefaultMapper.ToMapperUrl(s.JsonnetMapper) : null);

        /// <summary>
        /// The changes of Set as Kratos keys: value to set (string, string[], SecretValue) or null to
        /// remove the key. When the kind changes, keys the new kind doesn't take are removed too
        /// (and listed in dropped) unless the user gave them, which RequireComplete then refuses.
        /// </summary>
        public static Dictionary<string, object> Changes(IDictionary<string, object> existing, ProviderKind oldKind, ProviderKind newKind, IdpSettings s, out List<string> dropped)
        {
            var c = new Dictionary<string, object>(StringComparer.Ordinal);
            if (newKind != oldKind) c[Fields.Provider] = newKind.Name;
            foreach (var kv in GivenFields(s))
                if (kv.Value != null) c[kv.Key] = IsEmptyValue(kv.Value) ? null : kv.Value;
            dropped = new List<string>();
            if (newKind != oldKind)
            {
                foreach (var f in ProviderCatalog.KindSpecificFields)
                {
                    if (newKind.Takes(f) || c.ContainsKey(f) || !existing.ContainsKey(f)) continue;
                    c[f] = null;
                    dropped.Add(f);
                }
            }
            return c;
        }

        /// <summary>existing with changes applied (null removes a key).</summary>
        public static Dictionary<string, object> Apply(IDictionary<string, object> existing, IDictionary<string, object> changes)
        {
            var r = new Dictionary<string, object>(existing, StringComparer.Ordinal);
            foreach (var kv in changes)
            {
                if (kv.Value == null) r.Remove(kv.Key); else r[kv.Key] = kv.Value;
            }
            return r;
        }

        /// <summary>Throws unless id is a usable provider id.</summary>
        public static void ValidateProviderId(string id)
        {
            if (id == null || !ProviderIdPattern.IsMatch(id))
                throw Invalid(new[] { $"'{Printable(id)}' is not a valid provider id: it becomes a URL path segment, so use 1-128 letters, digits, '.', '_', '~' or '-', starting with a letter or digit." });
        }

        /// <summary>
        /// What Kratos would reject in an entry read from a file (or what makes it a template):
        /// unknown keys, missing required keys, wrong types, kind rules, placeholders.
        /// </summary>
        public static List<string> KratosProblems(IDictionary<string, object> entry)
        {
            var problems = new List<string>();
            foreach (var k in entry.Keys)
                if (!Fields.KratosKeys.Contains(k)) problems.Add($"unknown key '{k}' (Kratos rejects keys its schema doesn't list)");
            foreach (var k in Fields.Required)
                if (!entry.ContainsKey(k) || entry[k] == null) problems.Add($"missing '{k}'");
            foreach (var kv in entry)
            {
                if (kv.Key == Fields.Scope || kv.Key == "additional_id_token_audiences")
                {
                    if (kv.Value != null && !(kv.Value is IEnumerable<string>) && !(kv.Value is string[]))
                        problems.Add($"'{kv.Key}' must be a list of strings");
                }
                else if (kv.Key != "requested_claims" && kv.Value != null && !(kv.Value is string) && !(kv.Value is SecretValue))
                    problems.Add($"'{kv.Key}' must be a string");
            }
            string Str(string k) => entry.TryGetValue(k, out var v) ? v as string : null;
            var provider = Str(Fields.Provider);
            if (provider != null)
            {
                if (!ProviderCatalog.TryGetExact(provider, out var kind))
                    problems.Add($"provider '{provider}' is not a Kratos provider kind");
                else
                {
                    if (kind.IsMicrosoft && !entry.ContainsKey(Fields.MicrosoftTenant)) problems.Add("microsoft requires 'microsoft_tenant'");
                    if (!kind.IsMicrosoft && entry.ContainsKey(Fields.MicrosoftTenant)) problems.Add($"'microsoft_tenant' is only allowed for microsoft");
                    if (kind.IsApple)
                    {
                        foreach (var k in new[] { Fields.AppleTeamId, Fields.ApplePrivateKeyId, Fields.ApplePrivateKey })
                            if (!entry.ContainsKey(k)) problems.Add($"apple requires '{k}'");
                        if (!string.IsNullOrEmpty(Str(Fields.ClientSecret))) problems.Add("apple must not have a non-empty 'client_secret'");
                    }
                    else
                    {
                        if (!entry.ContainsKey(Fields.ClientSecret)) problems.Add("missing 'client_secret'");
                        foreach (var k in new[] { Fields.AppleTeamId, Fields.ApplePrivateKeyId, Fields.ApplePrivateKey })
                            if (!string.IsNullOrEmpty(Str(k))) problems.Add($"'{k}' is only allowed for apple");
                    }
                }
            }
            foreach (var (key, allowed) in new[] { (Fields.SubjectSource, Fields.SubjectSources), (Fields.ClaimsSource, Fields.ClaimsSources), (Fields.Pkce, Fields.PkceModes) })
            {
                var v = Str(key);
                if (v != null && !allowed.Contains(v)) problems.Add($"'{key}' must be one of {string.Join(", ", allowed)}");
            }
            foreach (var key in new[] { Fields.IssuerUrl, "auth_url", "token_url", Fields.MapperUrl })
            {
                var v = Str(key);
                if (string.IsNullOrEmpty(v) || Placeholder.IsMatch(v)) continue;
                // base64://<jsonnet in base64> is a URI to Kratos, but System.Uri rejects its "host".
                if (key == Fields.MapperUrl && v.StartsWith("base64://", StringComparison.Ordinal))
                {
                    if (DefaultMapper.TryDecode(v) == null) problems.Add($"'{key}' starts with base64:// but what follows is not base64");
                }
                else if (!Uri.TryCreate(v, UriKind.Absolute, out _))
                    problems.Add($"'{key}' is not a URI");
            }
            foreach (var kv in entry)
            {
                if (kv.Value is string sv && Placeholder.IsMatch(sv))
                    problems.Add($"'{kv.Key}' holds a template placeholder that Kratos does not expand");
            }
            return problems;
        }
    }
}
