using System;
using System.Text;

namespace ExternalIdp.Core
{
    /// <summary>
    /// The jsonnet mapper ExternalIdp writes when the user gives neither -MapperUrl nor
    /// -JsonnetMapper: email (only when the IdP says it is verified) and name claims to traits.
    /// Microsoft (Azure AD / Entra ID) sends no email_verified claim, so its mapper takes the
    /// email as it comes.
    /// </summary>
    public static class DefaultMapper
    {
        public const string Verified =
@"local claims = {
  email_verified: false,
} + std.extVar('claims');

{
  identity: {
    traits: {
      [if 'email' in claims && claims.email_verified then 'email' else null]: claims.email,
      [if 'given_name' in claims || 'family_name' in claims then 'name' else null]: {
        [if 'given_name' in claims then 'first' else null]: claims.given_name,
        [if 'family_name' in claims then 'last' else null]: claims.family_name,
      },
    },
  },
}
";

        public const string Microsoft =
@"local claims = std.extVar('claims');

{
  identity: {
    traits: {
      [if 'email' in claims then 'email' else null]: claims.email,
      [if 'given_name' in claims || 'family_name' in claims then 'name' else null]: {
        [if 'given_name' in claims then 'first' else null]: claims.given_name,
        [if 'family_name' in claims then 'last' else null]: claims.family_name,
      },
    },
  },
}
";

        public static string SourceFor(ProviderKind kind) => kind.IsMicrosoft ? Microsoft : Verified;

        /// <summary>base64://&lt;base64 of the jsonnet source&gt;, as Kratos and the charm take it.</summary>
        public static string ToMapperUrl(string jsonnet)
            => "base64://" + Convert.ToBase64String(Encoding.UTF8.GetBytes(jsonnet.Replace("\r\n", "\n")));

        public static string UrlFor(ProviderKind kind) => ToMapperUrl(SourceFor(kind));

        /// <summary>The jsonnet source of a base64:// mapper URL, or null.</summary>
        public static string TryDecode(string mapperUrl)
        {
            if (mapperUrl == null || !mapperUrl.StartsWith("base64://", StringComparison.Ordinal)) return null;
            try { return Encoding.UTF8.GetString(Convert.FromBase64String(mapperUrl.Substring(9))); }
            catch (FormatException) { return null; }
        }
    }
}
