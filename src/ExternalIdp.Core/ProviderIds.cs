using System.Security.Cryptography;
using System.Text;

namespace ExternalIdp.Core
{
    /// <summary>
    /// Provider ids generated exactly as kratos-external-idp-integrator does when provider_id is
    /// unset, so an IdP keeps its id (and redirect URI) between a config file and Juju.
    /// </summary>
    public static class ProviderIds
    {
        public static string Generate(ProviderKind kind, string clientId, string issuerUrl, string tenantId)
        {
            string seed;
            switch (kind.IdSeed)
            {
                case ProviderIdSeed.ClientIdAndIssuer: seed = clientId + "_" + issuerUrl; break;
                case ProviderIdSeed.ClientIdAndTenant: seed = clientId + "_" + tenantId; break;
                default: seed = clientId; break;
            }
            return Generate(kind.Name, seed);
        }

        /// <summary>The formula itself: "&lt;provider&gt;_" and the SHA-1 of the seed in hex.</summary>
        internal static string Generate(string providerName, string seed)
        {
            using (var sha1 = SHA1.Create())
            {
                var hash = sha1.ComputeHash(Encoding.UTF8.GetBytes(seed ?? string.Empty));
                var sb = new StringBuilder(providerName.Length + 41);
                sb.Append(providerName).Append('_');
                foreach (var b in hash) sb.Append(b.ToString("x2"));
                return sb.ToString();
            }
        }
    }
}
