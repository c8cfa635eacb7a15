using System.Collections.Generic;

namespace ExternalIdp.Core
{
    /// <summary>
    /// Provider settings as given by the user (Add: the whole entry; Set: only what changes).
    /// Null means "not given". For Set, an empty string (or empty Scope) means "remove the
    /// optional setting".
    /// </summary>
    public sealed class IdpSettings
    {
        public string Provider { get; set; }
        public string ClientId { get; set; }
        public SecretValue ClientSecret { get; set; }
        public string TenantId { get; set; }
        public string IssuerUrl { get; set; }
        public string AppleTeamId { get; set; }
        public string ApplePrivateKeyId { get; set; }
        public SecretValue ApplePrivateKey { get; set; }
        public string ProviderId { get; set; }
        public string Label { get; set; }
        public string[] Scope { get; set; }
        /// <summary>Jsonnet source (already read from a file by the caller if a path was given).</summary>
        public string JsonnetMapper { get; set; }
        public string MapperUrl { get; set; }
        public string SubjectSource { get; set; }
        public string ClaimsSource { get; set; }
        public string Pkce { get; set; }

        /// <summary>The PowerShell parameter names that were given, for messages ("-TenantId").</summary>
        public IEnumerable<string> GivenParameters()
        {
            if (Provider != null) yield return "Provider";
            if (ClientId != null) yield return "ClientId";
            if (ClientSecret != null) yield return "ClientSecret";
            if (TenantId != null) yield return "TenantId";
            if (IssuerUrl != null) yield return "IssuerUrl";
            if (AppleTeamId != null) yield return "AppleTeamId";
            if (ApplePrivateKeyId != null) yield return "ApplePrivateKeyId";
            if (ApplePrivateKey != null) yield return "ApplePrivateKey";
            if (ProviderId != null) yield return "ProviderId";
            if (Label != null) yield return "Label";
            if (Scope != null) yield return "Scope";
            if (JsonnetMapper != null) yield return "JsonnetMapper";
            if (MapperUrl != null) yield return "MapperUrl";
            if (SubjectSource != null) yield return "SubjectSource";
            if (ClaimsSource != null) yield return "ClaimsSource";
            if (Pkce != null) yield return "Pkce";
        }

        public bool IsEmpty
        {
            get { using (var e = GivenParameters().GetEnumerator()) return !e.MoveNext(); }
        }
    }

    /// <summary>Options of an operation that are not provider settings.</summary>
    public sealed class OperationOptions
    {
        /// <summary>Juju: wait for the integrator to be ready, or disabled (Add, Set, Enable, Disable).</summary>
        public bool Wait { get; set; }
        /// <summary>Juju: seconds before a wait or a hung juju command (each one) is given up.</summary>
        public int TimeoutSec { get; set; } = 300;
        /// <summary>Juju: charm channel for deploy.</summary>
        public string Channel { get; set; }
        /// <summary>Juju: Remove also removes the integrator application.</summary>
        public bool RemoveApplication { get; set; }
        /// <summary>Redirect URI: the public base URL to use instead of the one the target knows.</summary>
        public string PublicUrl { get; set; }
        /// <summary>Redirect URI on Juju: only the get-redirect-uri action's answer, never a computed one.</summary>
        public bool ActionOnly { get; set; }
    }
}
