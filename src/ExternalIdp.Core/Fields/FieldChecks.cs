using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace ExternalIdp.Core
{
    /// <summary>
    /// The checks of values given for a setting, one per kind of value (FieldTable names each row's).
    /// Each takes the row and the value and returns the problem with its fix, or null. A secret's
    /// check never repeats the value.
    /// </summary>
    internal static class FieldChecks
    {
        internal static readonly Regex ProviderIdPattern = new Regex(@"^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$", RegexOptions.CultureInvariant);
        private static readonly Regex DomainPattern = new Regex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$", RegexOptions.CultureInvariant);
        private static readonly Regex AppleIdPattern = new Regex(@"^[A-Za-z0-9]{1,64}$", RegexOptions.CultureInvariant);
        private static readonly string[] WellKnownTenants = { "common", "organizations", "consumers" };

        internal static bool HasControl(string s) => s.Any(char.IsControl);

        public static bool IsValidTenant(string tenant)
        {
            if (WellKnownTenants.Contains(tenant)) return true;
            if (Guid.TryParse(tenant, out _) && tenant.Length == 36) return true;
            return DomainPattern.IsMatch(tenant);
        }

        public static string ProviderId(Field f, string v)
            => ProviderIdPattern.IsMatch(v) ? null : RuleMessages.BadProviderId(f.Flag + " '" + v + "'");

        public static string ClientId(Field f, string v)
        {
            if (v.Trim().Length == 0) return $"{f.Flag} is empty: give the OAuth2 client id that the identity provider issued.";
            if (v != v.Trim()) return RuleMessages.Padded(f);
            return HasControl(v) ? $"{f.Flag} contains control characters or a line break: give the client id alone." : null;
        }

        public static string ClientSecret(Field f, string v)
        {
            if (v.Length > 0 && v.Trim().Length == 0) return $"{f.Flag} is only white space: give the client secret the identity provider issued.";
            if (v != v.Trim()) return RuleMessages.Padded(f);
            return HasControl(v) ? $"{f.Flag} contains control characters or a line break: give the secret alone." : null;
        }

        public static string OneLine(Field f, string v)
            => HasControl(v) ? $"{f.Flag} contains control characters or a line break: give a one-line button text." : null;

        public static string IssuerUrl(Field f, string v)
            => v.Length == 0 ? null : HttpUrlProblem(v, f.Parameter, RuleMessages.IssuerUrlGive, "the bare issuer URL");

        public static string Tenant(Field f, string v)
            => v.Length == 0 || IsValidTenant(v) ? null : RuleMessages.BadTenant(f, v);

        public static string AppleTeamId(Field f, string v)
            => v.Length == 0 || AppleIdPattern.IsMatch(v) ? null
             : $"{f.Flag} '{v}' is not an Apple Developer Team ID: it is the 10-character code (letters and digits) shown in your Apple developer account.";

        public static string ApplePrivateKeyId(Field f, string v)
            => v.Length == 0 || AppleIdPattern.IsMatch(v) ? null
             : $"{f.Flag} '{v}' is not an Apple key id: it is the 10-character Key ID (letters and digits) of the Sign in with Apple key.";

        public static string PemKey(Field f, string v)
            => v.Length == 0 || (v.IndexOf("-----BEGIN", StringComparison.Ordinal) >= 0 && v.IndexOf("PRIVATE KEY-----", StringComparison.Ordinal) >= 0) ? null
             : RuleMessages.NotPem(f);

        /// <summary>One item of a scope list.</summary>
        public static string ScopeItem(Field f, string item)
        {
            if (string.IsNullOrWhiteSpace(item)) return $"{f.Flag} holds an empty scope: remove it.";
            return item.Any(char.IsWhiteSpace) || HasControl(item)
                ? $"{f.Flag} '{IdpRules.Printable(item)}' contains white space: give each scope as its own item ({f.Flag} openid, email)."
                : null;
        }

        public static string MapperUrl(Field f, string v)
        {
            if (v.Length == 0) return null;
            if (v.StartsWith("base64://", StringComparison.Ordinal))
                return DefaultMapper.TryDecode(v) == null ? RuleMessages.MapperNotBase64(f) : null;
            return Uri.TryCreate(v, UriKind.Absolute, out var u) && (u.Scheme == "file" || u.Scheme == "https" || u.Scheme == "http") ? null
                : RuleMessages.MapperNotReadable(f, v);
        }

        /// <summary>An endpoint URL (auth_url, token_url): absolute http(s) with a host; a query is allowed, a fragment is not.</summary>
        public static string EndpointUrl(Field f, string v)
        {
            if (v.Length == 0) return null;
            if (!Uri.TryCreate(v, UriKind.Absolute, out var u) || (u.Scheme != "https" && u.Scheme != "http") || string.IsNullOrEmpty(u.Host) || HasControl(v) || v.Any(char.IsWhiteSpace))
                return $"{f.Flag} '{IdpRules.Printable(v)}' is not an absolute http(s) URL: give {f.Hint}.";
            return string.IsNullOrEmpty(u.Fragment) ? null : $"{f.Flag} '{IdpRules.Printable(v)}' carries a fragment (#...): give the endpoint URL without it.";
        }

        /// <summary>An Ory organization id: a UUID (it becomes a segment of the redirect URI).</summary>
        public static string OrganizationId(Field f, string v)
            => v.Length == 0 || (Guid.TryParse(v, out _) && v.Length == 36) ? null
             : $"{f.Flag} '{IdpRules.Printable(v)}' is not an organization id: give the UUID of the organization (e.g. 12345678-1234-1234-1234-123456789012).";

        /// <summary>One item of a list of client ids (additional_id_token_audiences).</summary>
        public static string ClientIdItem(Field f, string item)
        {
            if (string.IsNullOrWhiteSpace(item)) return $"{f.Flag} holds an empty item: remove it.";
            return item.Any(char.IsWhiteSpace) || HasControl(item)
                ? $"{f.Flag} '{IdpRules.Printable(item)}' contains white space: give each client id as its own item ({f.Flag} web-client-id, ios-client-id)."
                : null;
        }

        /// <summary>An OpenID Connect claims request (requested_claims), given as JSON text.</summary>
        public static string ClaimsRequest(Field f, string json)
        {
            if (json.Length == 0) return null;
            if (!JsonText.TryParse(json, out var plain, out var error))
                return $"{f.Flag} is not JSON ({error}): give a hashtable such as @{{id_token = @{{email = $null; email_verified = @{{essential = $true}}}}}} or the same as JSON text.";
            var problem = ClaimsProblem(plain);
            return problem == null ? null
                : $"{f.Flag} is not a claims request Kratos accepts: {problem}. Give an object whose id_token and userinfo members map claim names to $null or to @{{essential = $true}} (also value, values).";
        }

        /// <summary>What Kratos's schema (OIDCClaims) rejects in a claims request, or null.</summary>
        internal static string ClaimsProblem(object plain)
        {
            if (!(plain is IDictionary<string, object> request)) return "it is not an object";
            foreach (var part in new[] { "id_token", "userinfo" })
            {
                if (!request.TryGetValue(part, out var claims)) continue;
                if (!(claims is IDictionary<string, object> byName)) return $"'{part}' is not an object";
                foreach (var claim in byName)
                {
                    if (claim.Value == null) continue;
                    if (!(claim.Value is IDictionary<string, object> how)) return $"claim '{part}.{claim.Key}' is neither null nor an object";
                    foreach (var member in how)
                    {
                        switch (member.Key)
                        {
                            case "essential":
                                if (!(member.Value is ConfigFile.YamlText.Typed t && t.Kind == "bool")) return $"'{part}.{claim.Key}.essential' is not a boolean";
                                break;
                            case "value": break;
                            case "values":
                                if (!(member.Value is IList<object>)) return $"'{part}.{claim.Key}.values' is not a list";
                                break;
                            default: return $"claim '{part}.{claim.Key}' has '{member.Key}' (only essential, value and values are allowed)";
                        }
                    }
                }
            }
            return null;
        }

        public static string OneOf(Field f, string v)
            => v.Length == 0 || f.Values.Contains(v) ? null : $"{f.Flag} '{v}' is not valid: use one of {string.Join(", ", f.Values)}.";

        /// <summary>Why value is not an absolute http(s) URL with a host and without query or fragment; null when it is.</summary>
        internal static string HttpUrlProblem(string value, string parameter, string give, string bare)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var u) || (u.Scheme != "https" && u.Scheme != "http") || string.IsNullOrEmpty(u.Host))
                return $"-{parameter} '{IdpRules.Printable(value)}' is not an absolute http(s) URL: give {give}.";
            if (!string.IsNullOrEmpty(u.Query) || !string.IsNullOrEmpty(u.Fragment))
                return $"-{parameter} '{IdpRules.Printable(value)}' carries a query or fragment: give {bare}.";
            return null;
        }
    }
}
