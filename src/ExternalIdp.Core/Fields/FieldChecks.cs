using System;
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
